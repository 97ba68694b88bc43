@testable import IRQReplay
import Testing

/// The request ledger hands out nodes as a free list threaded through the whole pool at set-up
/// would: returned nodes first, most recently returned first, then the never-used ones in order,
/// growing by doubling when none is left. The timeline keys requests by these nodes.
struct RequestLedgerTests {
    @Test func nodesComeInFreeListOrderAndGrowthKeepsEveryRequest() {
        var l = RequestLedger(capacity: 2)
        #expect(l.arrive(source: 1, at: 10) == 0)
        #expect(l.arrive(source: 1, at: 20) == 1)
        // The pool is full: it doubles, and the first new node comes next.
        #expect(l.arrive(source: 2, at: 30) == 2)
        #expect(l.capacity == 4)
        l.take(source: 1)
        var seen: [UInt64] = []
        #expect(l.finish(source: 1) { seen.append($0) } == 2)
        #expect(seen == [10, 20])
        // Returned nodes 0 and 1 (the handler's list, in order) before the never-used node 3.
        #expect(l.arrive(source: 2, at: 40) == 0)
        #expect(l.arrive(source: 3, at: 50) == 1)
        #expect(l.arrive(source: 3, at: 60) == 3)
        #expect(l.outstandingCount() == 4)
        // Full again: node 4 of 8.
        #expect(l.arrive(source: 3, at: 70) == 4)
        #expect(l.capacity == 8)
        l.take(source: 2)
        var taken: [UInt64] = []
        l.forEachTaken(source: 2) { taken.append($0) }
        #expect(taken == [30, 40])
        var outstanding: [UInt64] = []
        var n = l.firstOutstanding(source: 3)
        while n >= 0 { outstanding.append(UInt64(n)); n = l.node(after: n) }
        #expect(outstanding == [1, 3, 4])
        #expect(l.outstandingCount() == 3)
    }
}
