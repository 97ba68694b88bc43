import IRQCore
import Testing

/// docs/model.md §3, one rule per test.
struct PLICTests {
    func plic(contexts: Int = 1, edgeQueue: UInt32 = 1, sources: [Int] = [1, 2, 3], edge: Bool = false) -> PLIC {
        let p = PLIC(contexts: contexts, edgeQueue: edgeQueue)
        for s in sources {
            p.setPriority(s, 1)
            p.setEdgeTriggered(s, edge)
            p.setEnabled(s, context: 0, true)
        }
        return p
    }

    /// The per-context words (enables, thresholds) come after every fixed-size part of the layout:
    /// with the most contexts, writes to the last one's words leave every source's state alone.
    @Test func theLastContextsWordsAliasNoSourceState() {
        let p = PLIC(contexts: 64, edgeQueue: 2)
        p.setPriority(1023, 7)
        p.setEdgeTriggered(1023, true)
        p.setEnabled(1023, context: 63, true)
        p.setThreshold(context: 63, 6)
        for c in 0..<63 { p.setThreshold(context: c, 7) }
        #expect(p.priority(1023) == 7 && p.configuredPriority(1023) == 7)
        #expect(!p.isEnabled(1023, context: 62) && p.isEnabled(1023, context: 63))
        #expect(!p.isPending(1023) && p.queuedEdges(1023) == 0 && p.isGatewayOpen(1023))
        #expect(p.edge(1023))
        #expect(!p.edge(1023) && !p.edge(1023))
        #expect(p.queuedEdges(1023) == 2)
        #expect(!p.hasInterrupt(context: 62) && p.hasInterrupt(context: 63))
        #expect(p.claim(context: 63) == 1023)
        #expect(p.complete(context: 63, 1023))
        #expect(p.isPending(1023) && p.queuedEdges(1023) == 1)
        p.setThreshold(context: 63, 7)
        #expect(!p.hasInterrupt(context: 63) && p.claim(context: 63) == 0)
        #expect(p.priority(1023) == 7 && p.lostEdges == 0)
    }

    @Test func risingLineForwardsAndClosesTheGateway() {
        let p = plic()
        p.setLine(1, high: true)
        #expect(p.isPending(1))
        #expect(!p.isGatewayOpen(1))
        #expect(p.hasInterrupt(context: 0))
    }

    @Test func fallingLineNeverWithdrawsPending() {
        let p = plic()
        p.setLine(1, high: true)
        p.setLine(1, high: false)
        #expect(p.isPending(1))
        #expect(p.claim(context: 0) == 1)
    }

    @Test func claimClearsPendingButKeepsTheGatewayClosed() {
        let p = plic()
        p.setLine(1, high: true)
        #expect(p.claim(context: 0) == 1)
        #expect(!p.isPending(1))
        #expect(!p.isGatewayOpen(1))
        // The line is still high, but the closed gateway forwards nothing.
        p.setLine(1, high: true)
        #expect(!p.isPending(1))
        #expect(!p.hasInterrupt(context: 0))
    }

    @Test func completeReforwardsAHighLineAtOnce() {
        let p = plic()
        p.setLine(1, high: true)
        _ = p.claim(context: 0)
        #expect(p.complete(context: 0, 1))
        #expect(p.isPending(1))
        #expect(!p.isGatewayOpen(1))
    }

    @Test func completeWithLowLineLeavesTheGatewayOpen() {
        let p = plic()
        p.setLine(1, high: true)
        _ = p.claim(context: 0)
        p.setLine(1, high: false)
        p.complete(context: 0, 1)
        #expect(!p.isPending(1))
        #expect(p.isGatewayOpen(1))
    }

    @Test func claimPicksHighestPriorityThenLowestID() {
        let p = plic(sources: [1, 2, 3, 40, 700])
        p.setPriority(3, 2)
        p.setPriority(700, 2)
        for s in [1, 2, 3, 40, 700] { p.setLine(s, high: true) }
        #expect(p.claim(context: 0) == 3)
        #expect(p.claim(context: 0) == 700)
        #expect(p.claim(context: 0) == 1)
        #expect(p.claim(context: 0) == 2)
        #expect(p.claim(context: 0) == 40)
        #expect(p.claim(context: 0) == 0)
        #expect(p.spuriousClaims == 1)
    }

    @Test func thresholdHidesSourcesAtOrBelowIt() {
        let p = plic()
        p.setPriority(2, 3)
        p.setThreshold(context: 0, 1)
        p.setLine(1, high: true)
        #expect(!p.hasInterrupt(context: 0))
        #expect(p.claim(context: 0) == 0)
        p.setLine(2, high: true)
        #expect(p.claim(context: 0) == 2)
    }

    @Test func sourceIsClaimableOnlyInItsEnabledContext() {
        let p = PLIC(contexts: 2)
        p.setPriority(5, 1)
        p.setEnabled(5, context: 1, true)
        p.setLine(5, high: true)
        #expect(!p.hasInterrupt(context: 0))
        #expect(p.claim(context: 0) == 0)
        #expect(p.claim(context: 1) == 5)
    }

    @Test func completeOfASourceNotEnabledForTheContextIsStray() {
        let p = PLIC(contexts: 2)
        p.setPriority(5, 1)
        p.setEnabled(5, context: 1, true)
        p.setLine(5, high: true)
        _ = p.claim(context: 1)
        #expect(!p.complete(context: 0, 5))
        #expect(p.strayCompletes == 1)
        #expect(!p.isGatewayOpen(5), "a stray complete must not open the gateway")
        #expect(p.complete(context: 1, 5))
    }

    @Test func edgesQueueUpToTheLimitThenAreLost() {
        let p = plic(edgeQueue: 2, edge: true)
        p.edge(1)
        #expect(p.isPending(1))
        p.edge(1); p.edge(1); p.edge(1)
        #expect(p.queuedEdges(1) == 2)
        #expect(p.lostEdges == 1)
        _ = p.claim(context: 0)
        p.complete(context: 0, 1)
        #expect(p.isPending(1), "a queued edge is forwarded at complete")
        #expect(p.queuedEdges(1) == 1)
    }

    @Test func edgeQueueZeroLosesEveryEdgeWhileClosed() {
        let p = plic(edgeQueue: 0, edge: true)
        p.edge(1); p.edge(1); p.edge(1)
        #expect(p.lostEdges == 2)
        _ = p.claim(context: 0)
        p.complete(context: 0, 1)
        #expect(!p.isPending(1))
        #expect(p.isGatewayOpen(1))
    }

    @Test func maskHidesButKeepsPendingAndEnable() {
        let p = plic()
        p.setPriority(1, 4)
        p.setLine(1, high: true)
        p.mask(1)
        #expect(p.priority(1) == 0)
        #expect(p.isPending(1))
        #expect(!p.hasInterrupt(context: 0))
        #expect(p.isEnabled(1, context: 0))
        p.unmask(1)
        #expect(p.priority(1) == 4)
        #expect(p.claim(context: 0) == 1)
    }

    @Test func maskedSourceCompleteIsNotStray() {
        let p = plic()
        p.setLine(1, high: true)
        _ = p.claim(context: 0)
        p.mask(1)
        #expect(p.complete(context: 0, 1))
        #expect(p.strayCompletes == 0)
        #expect(p.isPending(1), "re-forwarded while masked: pending survives")
    }

    /// `hasInterrupt` and the claim pick over the PLIC's words: on random lines, edges, claims,
    /// completes, masks, unmasks, priority moves, enable changes and thresholds, `hasInterrupt`
    /// must agree with the rule read from the PLIC's own state (some source pending, enabled for
    /// the context, above the context's threshold), and each claim must take the specification's
    /// source (the highest priority, ties to the lowest ID), with few or many sources pending.
    @Test(arguments: [8, 40])
    func hasInterruptAndClaimAgreeWithTheRuleOnRandomOperations(sourceCount: Int) {
        var rng = ClaimPickTests.XorShift(state: 0x2545_F491_4F6C_DD1D &+ UInt64(sourceCount))
        let p = PLIC(contexts: 2, edgeQueue: 2)
        let sources = [1, 2, 31, 32, 33, 100, 640, 1023] + (0..<(sourceCount - 8)).map { 200 + 13 * $0 }
        var threshold: [UInt32] = [0, 0]
        for (i, s) in sources.enumerated() {
            p.setPriority(s, UInt32(1 + i % 7))
            p.setEdgeTriggered(s, i % 3 == 0)
            p.setEnabled(s, context: i % 2, true)
            if i % 4 == 1 { p.setEnabled(s, context: 1 - i % 2, true) }
        }
        func takeable(_ s: Int, _ ctx: Int) -> Bool {
            p.isPending(s) && p.isEnabled(s, context: ctx) && p.priority(s) > threshold[ctx]
        }
        var claimed: [(context: Int, id: Int)] = []
        var claims = 0
        for _ in 0..<6000 {
            let s = sources[Int.random(in: 0..<sources.count, using: &rng)]
            let c = Int.random(in: 0..<2, using: &rng)
            switch Int.random(in: 0..<11, using: &rng) {
            case 0, 1: p.setLine(s, high: true)
            case 2: p.setLine(s, high: false)
            case 3: p.edge(s)
            case 4:
                let expected = sources.filter { takeable($0, c) }.max { (p.priority($0), -$0) < (p.priority($1), -$1) } ?? 0
                let id = p.claim(context: c)
                #expect(id == expected)
                if id != 0 { claimed.append((c, id)); claims += 1 }
            case 5: if !claimed.isEmpty { let k = claimed.removeFirst(); p.complete(context: k.context, k.id) }
            case 6: p.mask(s)
            case 7: p.unmask(s)
            case 8: p.setPriority(s, UInt32.random(in: 0...7, using: &rng))
            case 9: if claimed.allSatisfy({ $0.id != s }) { p.setEnabled(s, context: c, Bool.random(using: &rng)) }
            default: threshold[c] = UInt32.random(in: 0...7, using: &rng); p.setThreshold(context: c, threshold[c])
            }
            for ctx in 0..<2 {
                #expect(p.hasInterrupt(context: ctx) == sources.contains { takeable($0, ctx) })
            }
        }
        #expect(claims > 100)
    }

    @Test func claimPickScalesToEveryPendingSource() {
        let p = PLIC(contexts: 1)
        for s in 1...1023 { p.setPriority(s, UInt32(1 + s % 7)); p.setEnabled(s, context: 0, true); p.setLine(s, high: true) }
        var last = (priority: UInt32(8), id: 0)
        var claimed = 0
        while case let id = p.claim(context: 0), id != 0 {
            let pr = UInt32(1 + id % 7)
            #expect(pr < last.priority || (pr == last.priority && id > last.id))
            last = (pr, id)
            claimed += 1
        }
        #expect(claimed == 1023)
    }
}

struct VPLICTests {
    @Test func injectIntoPendingOrInServiceIsAStorm() {
        let v = VPLIC()
        v.setPriority(1, 1)
        #expect(v.inject(1) == false)
        #expect(v.inject(1) == true, "already pending")
        #expect(v.claim() == 1)
        #expect(v.isInService(1))
        #expect(v.inject(1) == true, "in service")
        v.complete(1)
        #expect(!v.isInService(1))
        #expect(v.isPending(1))
    }

    @Test func vclaimTakesHighestPriorityThenLowestNumber() {
        let v = VPLIC()
        v.setPriority(1, 1); v.setPriority(2, 1); v.setPriority(3, 2)
        _ = v.inject(2); _ = v.inject(1); _ = v.inject(3)
        #expect(v.claim() == 3)
        #expect(v.claim() == 1)
        #expect(v.claim() == 2)
        #expect(v.claim() == 0)
        #expect(!v.hasPending)
    }
}

extension VPLICTests {
    /// A priority set again moves the vIRQ: the claim follows the last one, also when the move
    /// empties a level or a word of it (the claim skips the levels that hold no vIRQ).
    @Test func aPrioritySetAgainMovesTheVirq() {
        let v = VPLIC()
        v.setPriority(1, 5); v.setPriority(2, 3); v.setPriority(40, 7); v.setPriority(41, 1)
        v.setPriority(1, 2); v.setPriority(40, 1)
        for virq in [41, 40, 2, 1] { _ = v.inject(virq) }
        #expect(v.claim() == 2)
        #expect(v.claim() == 1)
        #expect(v.claim() == 40)
        #expect(v.claim() == 41)
        #expect(v.claim() == 0)
        v.setPriority(40, 6)
        _ = v.inject(41); _ = v.inject(40)
        #expect(v.claim() == 40)
        #expect(v.claim() == 41)
    }

    @Test func aVirqWithoutAPriorityIsNeverClaimed() {
        let v = VPLIC()
        v.setPriority(2, 1)
        _ = v.inject(700)
        #expect(v.claim() == 0)
        _ = v.inject(2)
        #expect(v.claim() == 2)
    }
}

/// The claim pick as a pure function of plain bitfield words, checked against a direct reading of
/// the specification over every source.
struct ClaimPickTests {
    struct Words {
        var pending = [UInt32](repeating: 0, count: 32)
        var enabled = [UInt32](repeating: 0, count: 32)
        var priority = [UInt32](repeating: 0, count: 1024)

        func level(_ p: Int, _ w: Int) -> UInt32 {
            var bits: UInt32 = 0
            for b in 0..<32 where priority[w * 32 + b] == UInt32(p) { bits |= 1 << UInt32(b) }
            return bits
        }

        /// The levels that hold a source (the `levels` hint exactly); `extra` adds levels that
        /// hold none, as a stale hint may.
        func levels(extra: UInt32 = 0) -> UInt32 {
            var m = extra
            for id in 1..<1024 { m |= 1 << priority[id] }
            return m
        }

        func pick(threshold: UInt32, levels: UInt32 = 0xFF) -> Int {
            var pendingWords: UInt32 = 0
            for w in 0..<32 where pending[w] != 0 { pendingWords |= 1 << UInt32(w) }
            return PLIC.pick(
                threshold: threshold, pendingWords: pendingWords, levels: levels,
                levelWords: { p in
                    var m: UInt32 = 0
                    for w in 0..<32 where level(p, w) != 0 { m |= 1 << UInt32(w) }
                    return m
                },
                candidates: { w, p in pending[w] & enabled[w] & level(p, w) })
        }

        /// `PLIC.anyTakeable` over these words.
        func anyTakeable(threshold: UInt32) -> Bool {
            PLIC.anyTakeable(threshold: threshold, pendingWords: pendingWords,
                             candidates: { w in pending[w] & enabled[w] }, priority: { priority[$0] })
        }

        var pendingWords: UInt32 {
            var m: UInt32 = 0
            for w in 0..<32 where pending[w] != 0 { m |= 1 << UInt32(w) }
            return m
        }

        /// docs/model.md §3, literally: among pending, enabled sources with priority above the
        /// threshold, the highest priority, ties to the lowest ID.
        func reference(threshold: UInt32) -> Int {
            var best = 0
            for id in 1..<1024 {
                let (w, b) = (id / 32, UInt32(1) << UInt32(id % 32))
                guard pending[w] & b != 0, enabled[w] & b != 0, priority[id] > threshold else { continue }
                if best == 0 || priority[id] > priority[best] { best = id }
            }
            return best
        }
    }

    /// Seeded, so a failure reproduces.
    struct XorShift: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return state
        }
    }

    @Test func matchesTheSpecificationOnRandomStates() {
        var rng = XorShift(state: 0x9E37_79B9_7F4A_7C15)
        for _ in 0..<300 {
            var s = Words()
            for id in 1..<1024 {
                s.priority[id] = UInt32.random(in: 0...7, using: &rng)
                let (w, b) = (id / 32, UInt32(1) << UInt32(id % 32))
                if Int.random(in: 0..<10, using: &rng) == 0 { s.pending[w] |= b }
                if Int.random(in: 0..<4, using: &rng) != 0 { s.enabled[w] |= b }
            }
            let threshold = UInt32.random(in: 0...7, using: &rng)
            let expected = s.reference(threshold: threshold)
            #expect(s.pick(threshold: threshold) == expected)
            // The levels hint, exact or with levels that hold no source, picks the same.
            #expect(s.pick(threshold: threshold, levels: s.levels()) == expected)
            #expect(s.pick(threshold: threshold, levels: s.levels(extra: UInt32(rng.next() & 0xFF))) == expected)
            #expect(s.anyTakeable(threshold: threshold) == (expected != 0))
        }
    }

    /// Few pending sources (the replay's usual case), some masked (priority 0) or at the
    /// threshold: `anyTakeable` answers whether the specification's pick finds one.
    @Test func anyTakeableMatchesThePickOnFewSources() {
        var rng = XorShift(state: 0x94D0_49BB_1331_11EB)
        var found = 0
        for _ in 0..<2000 {
            var s = Words()
            for _ in 0..<Int.random(in: 0...6, using: &rng) {
                let id = Int.random(in: 1..<1024, using: &rng)
                let (w, b) = (id / 32, UInt32(1) << UInt32(id % 32))
                s.pending[w] |= b
                if Int.random(in: 0..<5, using: &rng) != 0 { s.enabled[w] |= b }
                s.priority[id] = UInt32.random(in: 0...3, using: &rng)
            }
            let threshold = UInt32.random(in: 0...2, using: &rng)
            let expected = s.reference(threshold: threshold) != 0
            #expect(s.anyTakeable(threshold: threshold) == expected)
            if expected { found += 1 }
        }
        #expect(found > 200 && found < 1800)
    }

    /// Only the levels the hint names are visited: a source at a level the hint leaves out is not
    /// picked (which is why the PLIC clears a level's bit only after re-checking its summary).
    @Test func theLevelsHintBoundsTheSearch() {
        var s = Words()
        s.pending[0] = 0b110; s.enabled[0] = 0b110; s.priority[1] = 2; s.priority[2] = 3
        #expect(s.pick(threshold: 0, levels: 1 << 3) == 2)
        #expect(s.pick(threshold: 0, levels: 1 << 2) == 1)
        #expect(s.pick(threshold: 0, levels: 1 << 0) == 0)
        #expect(s.pick(threshold: 2, levels: 1 << 2) == 0)
    }

    @Test func nothingPendingOrAllBelowThresholdPicksZero() {
        var s = Words()
        #expect(s.pick(threshold: 0) == 0)
        s.pending[0] = 0b110; s.enabled[0] = 0b110; s.priority[1] = 2; s.priority[2] = 3
        #expect(s.pick(threshold: 3) == 0)
        #expect(s.pick(threshold: 2) == 2)
        #expect(s.pick(threshold: 0) == 2)
    }
}
