import IRQCore
import Testing

/// `WordAccess.exclusive` (the replay's) runs the same operations as `.shared` with plain loads
/// and stores: the same sequence of operations must leave the same state and return the same
/// results. And the rate limiter's look-ahead agrees with its check.
struct WordAccessTests {
    /// One random operation of do_IRQ, the device or the guest on `table`; returns what it returned.
    static func step(_ table: IRQDescriptorTable, _ plic: PLIC, _ g: inout SplitMix) -> String {
        let irq = 1 + g.next(12)
        switch g.next(9) {
        case 0: return "line \(plic.setLine(irq, high: g.next(3) > 0))"
        case 1: return "edge \(plic.edge(irq))"
        case 2:
            let d = table.beginDispatch(context: g.next(2))
            table.finishHandler(d)
            return "dispatch \(d.irq) \(d.target)"
        case 3: return "complete \(table.perform(.complete, irq: irq))"
        case 4: return "mask \(table.perform(.mask, irq: irq))"
        case 5: return "unmask \(table.perform(.unmask, irq: irq))"
        case 6: return "inject \(table.inject(domain: 1, virq: irq))"
        case 7:
            let v = table.vplic(1).claim()
            let c = table.guestComplete(domain: 1, virq: v)
            return "vclaim \(v) \(c.irq)"
        default:
            return "rate \(table.rateLimitCheck(irq, now: UInt64(g.next(1_000_000)), window: 300_000, limit: 3))"
        }
    }

    static func machine(_ access: WordAccess) -> (IRQDescriptorTable, PLIC) {
        let plic = PLIC(contexts: 2, edgeQueue: 2, access: access)
        let table = IRQDescriptorTable(plic: plic, strategy: .maskUnmask, access: access)
        for irq in 1...12 {
            plic.setEdgeTriggered(irq, irq > 8)
            plic.setPriority(irq, UInt32(1 + irq % 7))
            try! table.setAffinity(irq, context: irq % 2)
            if irq % 5 == 0 { try! table.requestHostIRQ(irq) } else { try! table.routeToGuest(irq: irq, domain: 1, virq: irq) }
        }
        return (table, plic)
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func exclusiveAccessBehavesLikeShared(seed: UInt64) {
        let (t1, p1) = Self.machine(.shared)
        let (t2, p2) = Self.machine(.exclusive)
        var g1 = SplitMix(seed: seed)
        var g2 = SplitMix(seed: seed)
        for i in 0..<3_000 {
            let a = Self.step(t1, p1, &g1)
            let b = Self.step(t2, p2, &g2)
            #expect(a == b, "operation \(i)")
            if a != b { return }
        }
        for irq in 1...12 {
            #expect(p1.isPending(irq) == p2.isPending(irq) && p1.isGatewayOpen(irq) == p2.isGatewayOpen(irq))
            #expect(p1.priority(irq) == p2.priority(irq) && p1.queuedEdges(irq) == p2.queuedEdges(irq))
            #expect(t1.status(irq) == t2.status(irq))
        }
        #expect(p1.spuriousClaims == p2.spuriousClaims && p1.strayCompletes == p2.strayCompletes)
        #expect(p1.lostEdges == p2.lostEdges)
    }

    @Test(arguments: [UInt64(5), 6, 7])
    func rateLimitLookAheadAgreesWithTheCheck(seed: UInt64) {
        let (table, _) = Self.machine(.exclusive)
        let probe = Self.machine(.exclusive).0
        var g = SplitMix(seed: seed)
        var now: UInt64 = 0
        for _ in 0..<200 {
            let window = UInt64(1 + g.next(50_000)), limit = UInt64(g.next(30)), period = UInt64(1 + g.next(4_000))
            let count = UInt64(g.next(60))
            now += UInt64(g.next(80_000))
            let passes = table.rateLimitPasses(3, firstAt: now, period: period, count: count, window: window, limit: limit)
            // The look-ahead changed nothing: the same checks on a twin table, one by one.
            var expected: UInt64 = 0
            while expected < count
                && !probe.rateLimitCheck(3, now: now + expected * period, window: window, limit: limit) { expected += 1 }
            #expect(passes == expected)
            for i in 0..<passes { #expect(!table.rateLimitCheck(3, now: now + i * period, window: window, limit: limit)) }
            if passes < count {
                #expect(table.rateLimitCheck(3, now: now + passes * period, window: window, limit: limit))
                now += passes * period
            } else {
                now += count * period
            }
            // The twin made the same checks at the same times (the masking one included), so the
            // two stay in step.
        }
    }
}

extension WordAccessTests {
    /// The look-ahead goes window by window: long runs over many windows, windows that end exactly
    /// on a dispatch, an empty window (0), a limit of 0, and a first dispatch inside a window the
    /// table already holds. Each answer is checked against the checks made one by one on a twin.
    @Test func rateLimitLookAheadOverManyWindows() {
        var g = SplitMix(seed: 11)
        for round in 0..<300 {
            let (table, _) = Self.machine(.exclusive)
            let probe = Self.machine(.exclusive).0
            let period = UInt64(1 + g.next(50))
            let window = round % 3 == 0 ? period * UInt64(g.next(8)) : UInt64(g.next(400))
            let limit = UInt64(g.next(12))
            // A window already open with some dispatches counted, on both tables alike.
            var now = UInt64(g.next(1_000))
            for _ in 0..<g.next(6) {
                _ = table.rateLimitCheck(3, now: now, window: window, limit: limit)
                _ = probe.rateLimitCheck(3, now: now, window: window, limit: limit)
                now += UInt64(1 + g.next(30))
            }
            let count = UInt64(g.next(3_000))
            let passes = table.rateLimitPasses(3, firstAt: now, period: period, count: count, window: window, limit: limit)
            var expected: UInt64 = 0
            while expected < count
                && !probe.rateLimitCheck(3, now: now + expected * period, window: window, limit: limit) { expected += 1 }
            #expect(passes == expected, "period \(period) window \(window) limit \(limit) count \(count)")
        }
    }

    /// A limit no count word can pass, and times near the end of the 64-bit range: the one-by-one
    /// look-ahead answers, and it agrees with the checks.
    @Test func rateLimitLookAheadOutsideThePlainCase() {
        let (table, _) = Self.machine(.exclusive)
        #expect(table.rateLimitPasses(3, firstAt: 10, period: 7, count: 500, window: 1_000, limit: UInt64(UInt32.max)) == 500)
        let late: UInt64 = 1 << 62 + 5
        let passes = table.rateLimitPasses(3, firstAt: late, period: 3, count: 40, window: 100, limit: 4)
        #expect(passes == 4)
        for i in 0..<passes { #expect(!table.rateLimitCheck(3, now: late + i * 3, window: 100, limit: 4)) }
        #expect(table.rateLimitCheck(3, now: late + passes * 3, window: 100, limit: 4))
    }
}

extension SplitMix {
    /// Uniform in 0..<n.
    mutating func next(_ n: UInt64) -> Int { Int(next() % n) }
}
