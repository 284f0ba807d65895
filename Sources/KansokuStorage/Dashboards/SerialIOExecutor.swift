import Dispatch

/// Runs an actor's jobs one at a time on a dispatch queue of its own, so an
/// actor whose methods do blocking file I/O stalls neither the server's event
/// loops nor Swift's cooperative thread pool, and its methods, having no
/// suspension points inside, run start to finish without interleaving.
final class SerialIOExecutor: SerialExecutor {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }
}
