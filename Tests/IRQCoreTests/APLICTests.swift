import IRQCore
import Synchronization
import Testing

/// Records the MSIs an APLIC sends (hart, file, EIID), in order.
final class MSILog: MSIReceiver, @unchecked Sendable {
    private let log = Mutex<[[Int]]>([])
    func receiveMSI(hart: Int, file: Int, eiid: Int, edge: Bool) { log.withLock { $0.append([hart, file, eiid]) } }
    var msis: [[Int]] { log.withLock { $0 } }
    var count: Int { msis.count }
}

/// docs/model.md Part A, A.2-A.3: the APLIC's pending rules, one rule per test, in each delivery mode.
struct APLICTests {
    /// An APLIC whose sources are set up and enabled on hart 0 (MSI mode: MSIs go to `log`).
    func aplic(_ mode: APLIC.DeliveryMode, harts: Int = 1, level: [Int] = [1, 2], edge: [Int] = [3],
               log: MSILog = MSILog()) -> APLIC {
        let a = APLIC(mode: mode, harts: harts, imsic: IMSIC(harts: harts, guestFiles: 1))
        a.msiReceiver = log
        for s in level { a.setSourceMode(s, .level1); a.setPriority(s, 1); a.enable(s, hart: 0) }
        for s in edge { a.setSourceMode(s, .edge1); a.setPriority(s, 1); a.enable(s, hart: 0) }
        return a
    }

    // MARK: Level source, direct mode

    @Test func directLevelPendingIsACopyOfTheLine() {
        let a = aplic(.direct)
        a.setLine(1, high: true)
        #expect(a.isPending(1) && a.topi(hart: 0) == 1 && a.hasInterrupt(context: 0))
        a.setLine(1, high: false)
        #expect(!a.isPending(1) && a.topi(hart: 0) == 0 && !a.hasInterrupt(context: 0))
        #expect(a.withdrawn == 1, "a fall of a pending level line is a withdrawal")
    }

    @Test func directClaimiDoesNotClearALevelSource() {
        let a = aplic(.direct)
        a.setLine(1, high: true)
        #expect(a.claimi(hart: 0) == 1)
        #expect(a.isPending(1), "claim does not clear a level source while its line is high")
        #expect(a.claimi(hart: 0) == 1, "so the hart takes it again")
        a.setLine(1, high: false)
        #expect(a.claimi(hart: 0) == 0)
        #expect(a.spuriousClaims == 1)
    }

    @Test func directSetipnumAndDisableDoNotChangeALevelPendingBit() {
        let a = aplic(.direct)
        a.setipnum(1)
        #expect(!a.isPending(1), "setipnum is ignored for a level source in direct mode")
        a.clrienum(1)
        a.setLine(1, high: true)
        #expect(a.isPending(1), "the enable bit never gates pending")
        #expect(a.topi(hart: 0) == 0, "but a disabled source is not signalled")
        a.setienum(1)
        #expect(a.topi(hart: 0) == 1)
    }

    // MARK: Edge source (both modes)

    @Test func directEdgeSetsPendingMergesAndClaimiClearsIt() {
        let a = aplic(.direct)
        a.edge(3)
        #expect(a.isPending(3))
        a.edge(3)
        #expect(a.mergedEdges == 1, "an edge into a set pending bit is merged")
        #expect(a.claimi(hart: 0) == 3)
        #expect(!a.isPending(3), "claim clears an edge source")
        a.edge(3)
        #expect(a.isPending(3))
    }

    @Test func msiEdgeIsForwardedOrHeldWhileDisabled() {
        let log = MSILog()
        let a = aplic(.msi, log: log)
        a.edge(3)
        #expect(log.msis == [[0, 0, 3]] && !a.isPending(3), "forwarded: pending cleared, one MSI")
        a.clrienum(3)
        a.edge(3)
        a.edge(3)
        #expect(a.isPending(3) && log.count == 1 && a.mergedEdges == 1, "held while disabled; the second edge merges")
        a.setienum(3)
        #expect(log.count == 2 && !a.isPending(3), "the held bit leaves at setienum")
    }

    // MARK: Level source, MSI mode

    @Test func msiRisingLineSendsOneMSIAndTheSourceIsIgnoredUntilItFalls() {
        let log = MSILog()
        let a = aplic(.msi, log: log)
        a.setLine(1, high: true)
        #expect(log.msis == [[0, 0, 1]] && !a.isPending(1) && a.msisSent == 1)
        a.setLine(1, high: true)
        #expect(log.count == 1, "no 0->1 change while it stays high")
        a.setLine(1, high: false)
        a.setLine(1, high: true)
        #expect(log.count == 2, "a new rise after the fall")
        #expect(a.withdrawn == 0, "nothing was pending when it fell")
    }

    @Test func msiSetipnumSetsPendingOnlyWhileTheLineIsHigh() {
        let log = MSILog()
        let a = aplic(.msi, log: log)
        a.setipnum(1)
        #expect(log.count == 0 && !a.isPending(1) && a.retriggers == 1 && a.effectiveRetriggers == 0)
        a.setLine(1, high: true)
        a.setipnum(1)
        #expect(log.count == 2 && a.retriggers == 2 && a.effectiveRetriggers == 1)
    }

    @Test func msiFallingLineWithdrawsAHeldPendingBit() {
        let log = MSILog()
        let a = aplic(.msi, log: log)
        a.clrienum(1)
        a.setLine(1, high: true)
        #expect(a.isPending(1) && log.count == 0, "held: the source is disabled")
        a.setLine(1, high: false)
        #expect(!a.isPending(1) && a.withdrawn == 1)
        a.setienum(1)
        #expect(log.count == 0, "nothing left to send after the withdrawal")
    }

    @Test func msiSetipnumWorksOnADisabledSource() {
        let log = MSILog()
        let a = aplic(.msi, log: log)
        a.setLine(1, high: true)
        a.clrienum(1)
        a.setipnum(1)
        #expect(a.isPending(1) && log.count == 1, "pending held, not sent")
        a.setienum(1)
        #expect(log.count == 2 && !a.isPending(1))
    }

    @Test func retriggerIsASetipnumForLevelSourcesOnly() {
        let log = MSILog()
        let a = aplic(.msi, log: log)
        a.setLine(1, high: true)
        a.retrigger(1)
        #expect(log.count == 2 && a.retriggers == 1)
        a.retrigger(3)
        #expect(log.count == 2 && a.retriggers == 1 && !a.isPending(3), "no false edge")
        let d = aplic(.direct)
        d.setLine(1, high: true)
        d.retrigger(1)
        #expect(d.retriggers == 0, "direct mode has no re-trigger")
    }

    @Test func msiTargetsTheFileAndEIIDOfTheSource() {
        let log = MSILog()
        let a = aplic(.msi, harts: 2, level: [], edge: [], log: log)
        a.setSourceMode(9, .level1)
        a.setPriority(9, 5)
        a.setGuestIndex(9, 1)
        a.enable(9, hart: 1)
        a.setLine(9, high: true)
        #expect(log.msis == [[1, 1, 9]], "hart 1, guest file 1, EIID = source ID")
        #expect(a.eiid(9) == 9 && a.guestIndex(9) == 1 && a.targetHart(9) == 1)
    }

    @Test func inactiveAndDetachedSourcesIgnoreTheirInput() {
        let a = aplic(.direct, level: [], edge: [])
        a.setPriority(5, 1)
        a.enable(5, hart: 0)
        a.setLine(5, high: true)
        #expect(!a.isPending(5), "inactive")
        a.setSourceMode(5, .detached)
        a.edge(5)
        #expect(!a.isPending(5), "detached: only setipnum sets it")
        a.setipnum(5)
        #expect(a.isPending(5) && a.claimi(hart: 0) == 5 && !a.isPending(5))
    }

    // MARK: Direct-mode priority

    @Test func iprioIsEightMinusPriorityAndTheSmallestWinsTiesToLowestID() {
        let a = aplic(.direct, level: [], edge: [])
        for (s, p) in [(4, UInt32(2)), (6, 7), (8, 7)] {
            a.setSourceMode(s, .edge1)
            a.setPriority(s, p)
            a.enable(s, hart: 0)
        }
        #expect(a.iprio(4) == 6 && a.iprio(6) == 1)
        for s in [4, 6, 8] { a.edge(s) }
        #expect(a.claimi(hart: 0) == 6)
        #expect(a.claimi(hart: 0) == 8)
        #expect(a.claimi(hart: 0) == 4)
    }

    @Test func eachHartSeesOnlyTheSourcesTargetedAtIt() {
        let a = aplic(.direct, harts: 2, level: [], edge: [])
        a.setSourceMode(7, .edge1)
        a.setPriority(7, 1)
        a.enable(7, hart: 1)
        a.edge(7)
        #expect(a.topi(hart: 0) == 0 && a.topi(hart: 1) == 7)
        #expect(a.claimi(hart: 0) == 0 && a.spuriousClaims == 1)
        a.enable(7, hart: 0)
        #expect(a.topi(hart: 0) == 7 && a.topi(hart: 1) == 0, "a new target replaces the old one")
    }

    /// The claim pick against a literal reading of the spec on seeded random states.
    @Test func topiMatchesTheSpecificationOnRandomStates() {
        var rng = SplitMix(seed: 11)
        for _ in 0..<300 {
            var pending = [UInt32](repeating: 0, count: 32), cands = pending
            var iprio = [UInt32](repeating: 1, count: 1024)
            for id in 1..<1024 {
                iprio[id] = UInt32(1 + rng.next() % 7)
                let (w, b) = (id / 32, UInt32(1) << UInt32(id % 32))
                if rng.next() % 12 == 0 { pending[w] |= b; if rng.next() % 3 != 0 { cands[w] |= b } }
            }
            let threshold = rng.next() % 3 == 0 ? UInt32(rng.next() % 8) : 0
            var summary: UInt32 = 0
            for w in 0..<32 where pending[w] != 0 { summary |= 1 << UInt32(w) }
            let picked = APLIC.pickTopi(threshold: threshold, pendingWords: summary,
                                        candidates: { cands[$0] }, iprio: { iprio[$0] })
            var reference = 0
            for id in 1..<1024 where cands[id / 32] & (1 << UInt32(id % 32)) != 0 {
                if threshold != 0 && iprio[id] >= threshold { continue }
                if reference == 0 || iprio[id] < iprio[reference] { reference = id }
            }
            #expect(picked == reference)
        }
    }
}
