/// The outstanding requests of every source, in arrival order, so that each request gets its own
/// latency sample when a handler consumes it.
///
/// A handler takes all the units present when it starts (docs/model.md §4), so consumption always
/// moves a source's whole outstanding list to its in-service list: O(1) splices over one pool of
/// nodes. The pool is plain memory sized at set-up for a backlog of `initialCapacity` requests; it
/// grows (doubling) only past that, never per request in steady state.
struct RequestLedger: ~Copyable {
    private var time: UnsafeMutablePointer<UInt64>
    private var next: UnsafeMutablePointer<Int32>
    private(set) var capacity: Int
    /// Returned nodes, most recent first; -1 when none.
    private var freeHead: Int32 = -1
    /// Nodes from here up to `capacity` were never handed out: they are taken in order once no
    /// returned node is left, so the pool needs no free list threaded through it at set-up and
    /// its pages are touched only as far as a replay's backlog reaches (a short replay's set-up
    /// wrote 768 KB before). Nodes are handed out in the same order as through a list made at
    /// set-up (the timeline keys requests by them).
    private var fresh: Int32 = 0

    /// Per source: outstanding list (arrived, not yet taken by a handler), and the list taken by
    /// the running handler: head, tail, busy head, busy tail, 1024 entries each.
    private let lists: UnsafeMutablePointer<Int32>
    @inline(__always) private var head: UnsafeMutablePointer<Int32> { lists }
    @inline(__always) private var tail: UnsafeMutablePointer<Int32> { lists + 1024 }
    @inline(__always) private var busyHead: UnsafeMutablePointer<Int32> { lists + 2048 }
    @inline(__always) private var busyTail: UnsafeMutablePointer<Int32> { lists + 3072 }

    /// A backlog the bench shapes never reach (1 MiB of nodes), so their replays allocate the
    /// same whatever their length.
    static let initialCapacity = 1 << 16

    init(capacity: Int = RequestLedger.initialCapacity) {
        self.capacity = capacity
        // Both written before they are read (`arrive`): left as allocated.
        time = .allocate(capacity: capacity)
        next = .allocate(capacity: capacity)
        lists = .allocate(capacity: 4096)
        lists.initialize(repeating: -1, count: 4096)
    }

    deinit {
        time.deallocate()
        next.deallocate()
        lists.deallocate()
    }

    /// Every node is taken: twice the nodes, the new half never handed out.
    private mutating func grow() {
        let old = capacity
        precondition(old < Int(Int32.max) / 2, "more than a billion requests outstanding")
        let bigger = old * 2
        let t = UnsafeMutablePointer<UInt64>.allocate(capacity: bigger)
        t.moveInitialize(from: time, count: old)
        time.deallocate()
        time = t
        let n = UnsafeMutablePointer<Int32>.allocate(capacity: bigger)
        n.moveInitialize(from: next, count: old)
        next.deallocate()
        next = n
        capacity = bigger
    }

    /// Returns the request's node: it stays the request's until its handler ends (`finish`), so
    /// the timeline (Timeline/TimelineRecorder.swift) keys what it keeps per request by it.
    @inline(__always) @discardableResult
    mutating func arrive(source s: Int, at t: UInt64) -> Int32 {
        let n: Int32
        if freeHead >= 0 {
            n = freeHead
            freeHead = next[Int(n)]
        } else {
            if Int(fresh) == capacity { grow() }
            n = fresh
            fresh += 1
        }
        time[Int(n)] = t
        next[Int(n)] = -1
        if tail[s] >= 0 { next[Int(tail[s])] = n } else { head[s] = n }
        tail[s] = n
        return n
    }

    // Read-only walks for the timeline: a list ends at -1.

    /// The first outstanding request of `s` (arrived, not taken), or -1.
    func firstOutstanding(source s: Int) -> Int32 { head[s] }
    /// The first request the running handler of `s` took, or -1.
    func firstTaken(source s: Int) -> Int32 { busyHead[s] }
    /// The request after `node` in its list, or -1.
    func node(after node: Int32) -> Int32 { next[Int(node)] }

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
            n &+= 1
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
}
