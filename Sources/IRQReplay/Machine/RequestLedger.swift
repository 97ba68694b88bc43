/// The outstanding requests of every source, in arrival order, so that each request gets its own
/// latency sample when a handler consumes it.
///
/// A handler takes all the units present when it starts (docs/model.md §4), so consumption always
/// moves a source's whole outstanding list to its in-service list: O(1) splices over one pool of
/// nodes. The pool grows only when the backlog reaches a new high-water mark, never per request in
/// steady state.
struct RequestLedger {
    private var time: [UInt64]
    private var next: [Int32]
    private var freeHead: Int32 = -1

    /// Per source: outstanding list (arrived, not yet taken by a handler).
    private var head: [Int32]
    private var tail: [Int32]
    /// Per source: the list taken by the running handler.
    private var busyHead: [Int32]
    private var busyTail: [Int32]

    init(capacity: Int = 4096) {
        time = Array(repeating: 0, count: capacity)
        next = Array(repeating: -1, count: capacity)
        head = Array(repeating: -1, count: 1024)
        tail = Array(repeating: -1, count: 1024)
        busyHead = Array(repeating: -1, count: 1024)
        busyTail = Array(repeating: -1, count: 1024)
        for i in 0..<capacity { next[i] = i + 1 < capacity ? Int32(i + 1) : -1 }
        freeHead = 0
    }

    private mutating func grow() {
        let old = time.count
        let added = old
        time.append(contentsOf: repeatElement(0, count: added))
        next.append(contentsOf: repeatElement(-1, count: added))
        for i in old..<(old + added) { next[i] = i + 1 < old + added ? Int32(i + 1) : -1 }
        freeHead = Int32(old)
    }

    @inline(__always)
    mutating func arrive(source s: Int, at t: UInt64) {
        if freeHead < 0 { grow() }
        let n = freeHead
        freeHead = next[Int(n)]
        time[Int(n)] = t
        next[Int(n)] = -1
        if tail[s] >= 0 { next[Int(tail[s])] = n } else { head[s] = n }
        tail[s] = n
    }

    /// The handler of `s` starts: everything outstanding becomes its work.
    @inline(__always)
    mutating func take(source s: Int) {
        precondition(busyHead[s] < 0, "a handler of source \(s) is already running")
        busyHead[s] = head[s]
        busyTail[s] = tail[s]
        head[s] = -1
        tail[s] = -1
    }

    /// Visits the arrival times of the running handler's requests.
    @inline(__always)
    func forEachTaken(source s: Int, _ body: (UInt64) -> Void) {
        var i = busyHead[s]
        while i >= 0 {
            body(time[Int(i)])
            i = next[Int(i)]
        }
    }

    /// The handler of `s` ends: visits its requests, then returns their nodes to the pool.
    /// Returns how many there were.
    @inline(__always) @discardableResult
    mutating func finish(source s: Int, _ body: (UInt64) -> Void) -> UInt64 {
        var n: UInt64 = 0
        var i = busyHead[s]
        guard i >= 0 else { return 0 }
        while i >= 0 {
            body(time[Int(i)])
            n += 1
            i = next[Int(i)]
        }
        next[Int(busyTail[s])] = freeHead
        freeHead = busyHead[s]
        busyHead[s] = -1
        busyTail[s] = -1
        return n
    }

    /// Requests never taken by a handler (e.g. units of lost edges), over all sources.
    func outstandingCount() -> UInt64 {
        var n: UInt64 = 0
        for s in 0..<1024 {
            var i = head[s]
            while i >= 0 { n += 1; i = next[Int(i)] }
        }
        return n
    }

    var capacity: Int { time.count }
}
