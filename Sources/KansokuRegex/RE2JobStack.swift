/// The backtracker's stack of pending work: in a caller's temporary
/// (usually stack) buffer until that is full, then on the heap, so that
/// a short match allocates nothing. Elements must be trivial types.
struct RE2JobStack<Element> {
    static var initialCapacity: Int { 64 }

    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    private var count = 0
    private var onHeap = false

    init(_ initial: UnsafeMutableBufferPointer<Element>) {
        base = initial.baseAddress!
        capacity = initial.count
    }

    @inline(__always)
    mutating func push(_ element: Element) {
        if count == capacity { grow() }
        (base + count).initialize(to: element)
        count += 1
    }

    @inline(__always)
    mutating func pop() -> Element? {
        guard count > 0 else { return nil }
        count -= 1
        return (base + count).move()
    }

    private mutating func grow() {
        let larger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        larger.moveInitialize(from: base, count: count)
        if onHeap { base.deallocate() }
        base = larger
        capacity *= 2
        onHeap = true
    }

    /// Frees the heap buffer, if the stack grew into one.
    mutating func release() {
        if onHeap { base.deallocate() }
        onHeap = false
        count = 0
    }
}
