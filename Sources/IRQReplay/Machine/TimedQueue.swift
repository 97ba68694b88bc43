import DequeModule

/// A happening scheduled for `time`, ordered among those of the same instant by `seq`
/// (docs/model.md §1).
protocol TimedHappening {
    var time: UInt64 { get }
    var seq: UInt64 { get }
}

/// A FIFO of happenings with one constant delay (so FIFO order is time order): IPIs, rate-limit
/// timers, a family's own. The head's time and sequence number are kept beside the deque, so the
/// run loop finds the next instant without touching the deque's storage; capacity is reserved at
/// set-up, so it allocates only past its reserve.
struct TimedQueue<Element: TimedHappening> {
    private var items = Deque<Element>()
    /// The first element's time, .max when empty.
    private(set) var headTime: UInt64 = .max
    private(set) var headSeq: UInt64 = .max

    var isEmpty: Bool { items.isEmpty }
    var count: Int { items.count }
    var first: Element? { items.first }

    mutating func reserveCapacity(_ n: Int) { items.reserveCapacity(n) }

    @inline(__always)
    mutating func append(_ e: Element) {
        precondition(items.isEmpty || e.time >= (items.last?.time ?? 0), "a timed queue's delays must keep FIFO order")
        if items.isEmpty { headTime = e.time; headSeq = e.seq }
        items.append(e)
    }

    @inline(__always) @discardableResult
    mutating func removeFirst() -> Element {
        let e = items.removeFirst()
        if let next = items.first {
            headTime = next.time
            headSeq = next.seq
        } else {
            headTime = .max
            headSeq = .max
        }
        return e
    }
}
