import Foundation
import Synchronization

/// An append waiting for the writer thread: its payload and the caller's
/// suspended task, resumed once the record is durable (or failed).
struct PendingAppend: Sendable {
    let payload: [UInt8]
    let continuation: CheckedContinuation<WALPosition, any Error>
}

/// What the callers of a ``WriteAheadLog`` and its writer thread share.
///
/// The state sits in a `Mutex`, held only for a few assignments, never across
/// I/O. The `NSCondition` is only the writer's doorbell: callers ring it after
/// enqueuing, and the writer re-checks the state under the condition's lock
/// before sleeping, so a ring between its check and its wait cannot be lost.
final class WALShared: Sendable {
    struct State {
        /// Appends not yet taken by the writer, in arrival order.
        var pending: [PendingAppend] = []
        /// Set by `close()` (or deinit); appends are refused from then on.
        var closeRequested = false
        /// Set by the writer as it exits, after closing its files.
        var writerExited = false
        /// Set after a write or sync failed; the log accepts no more appends.
        var failure: WALError?
        /// `close()` callers waiting for the writer to exit.
        var closeWaiters: [CheckedContinuation<Void, Never>] = []
        /// Segments on disk with their durable sizes, ascending; the last one is active.
        var segments: [SegmentExtent]
        var bytesWritten = 0
        var fsyncCount = 0
    }

    let state: Mutex<State>
    private let doorbell = NSCondition()

    init(segments: [SegmentExtent]) {
        state = Mutex(State(segments: segments))
    }

    /// Wakes the writer.
    func ring() {
        doorbell.lock()
        doorbell.signal()
        doorbell.unlock()
    }

    /// Blocks the writer thread until there are appends or a close request,
    /// then takes every pending append at once — the group of one commit.
    /// `closeRequested` is read in the same critical section, so an append
    /// enqueued before the close request is always in the final batch.
    func waitForWork() -> (batch: [PendingAppend], closeRequested: Bool) {
        doorbell.lock()
        defer { doorbell.unlock() }
        while true {
            let work = state.withLock { state -> (batch: [PendingAppend], closeRequested: Bool)? in
                guard !state.pending.isEmpty || state.closeRequested else { return nil }
                let batch = state.pending
                state.pending = []
                return (batch, state.closeRequested)
            }
            if let work { return work }
            doorbell.wait()
        }
    }
}
