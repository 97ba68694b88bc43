import IRQCore
import Testing

/// docs/model.md Part A, A.4-A.6: interrupt files, the guest's file, and MSI delivery.
struct IMSICTests {
    @Test func topeiIsTheLowestEnabledPendingIdentity() {
        let m = IMSIC(harts: 1, guestFiles: 0)
        for id in [5, 40, 2047] { m.setEnabled(hart: 0, file: 0, id, true) }
        #expect(m.topei(hart: 0, file: 0) == 0)
        #expect(!m.seteipnum(hart: 0, file: 0, 40))
        #expect(m.seteipnum(hart: 0, file: 0, 40), "a second MSI of a pending identity merges")
        m.seteipnum(hart: 0, file: 0, 2047)
        m.seteipnum(hart: 0, file: 0, 7)
        #expect(m.topei(hart: 0, file: 0) == 40, "7 is pending but not enabled")
        m.seteipnum(hart: 0, file: 0, 5)
        #expect(m.topei(hart: 0, file: 0) == 5)
    }

    @Test func claimClearsTheIdentityAndNothingElse() {
        let m = IMSIC(harts: 1, guestFiles: 0)
        for id in [3, 4] { m.setEnabled(hart: 0, file: 0, id, true); m.seteipnum(hart: 0, file: 0, id) }
        #expect(m.claim(hart: 0, file: 0) == 3)
        #expect(!m.isPending(hart: 0, file: 0, 3) && m.isPending(hart: 0, file: 0, 4))
        #expect(m.claim(hart: 0, file: 0) == 4)
        #expect(m.claim(hart: 0, file: 0) == 0 && !m.hasInterrupt(hart: 0, file: 0))
        m.seteipnum(hart: 0, file: 0, 3)
        #expect(m.claim(hart: 0, file: 0) == 3, "no in-service state: delivered again at once")
    }

    @Test func thresholdDeliveryAndInvalidIdentities() {
        let m = IMSIC(harts: 1, guestFiles: 0)
        for id in [10, 20] { m.setEnabled(hart: 0, file: 0, id, true); m.seteipnum(hart: 0, file: 0, id) }
        m.setThreshold(hart: 0, file: 0, 10)
        #expect(m.topei(hart: 0, file: 0) == 0, "only identities below the threshold")
        m.setThreshold(hart: 0, file: 0, 11)
        #expect(m.topei(hart: 0, file: 0) == 10)
        m.setDelivery(hart: 0, file: 0, false)
        #expect(!m.hasInterrupt(hart: 0, file: 0))
        #expect(!m.seteipnum(hart: 0, file: 0, 0) && !m.seteipnum(hart: 0, file: 0, 2048), "ignored writes")
    }

    @Test func filesAreIndependent() {
        let m = IMSIC(harts: 2, guestFiles: 2)
        m.setEnabled(hart: 1, file: 2, 9, true)
        m.seteipnum(hart: 1, file: 2, 9)
        for (h, f) in [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1)] { #expect(!m.isPending(hart: h, file: f, 9)) }
        #expect(m.claim(hart: 1, file: 2) == 9)
    }

    @Test func topeiMatchesTheSpecificationOnRandomStates() {
        var rng = SplitMix(seed: 5)
        for _ in 0..<300 {
            var cands = [UInt32](repeating: 0, count: 64)
            var summary: UInt64 = 0
            for w in 0..<64 where rng.next() % 6 == 0 {
                cands[w] = UInt32(truncatingIfNeeded: rng.next()) & UInt32(truncatingIfNeeded: rng.next())
                summary |= 1 << UInt64(w)
            }
            let threshold = rng.next() % 2 == 0 ? 0 : UInt32(rng.next() % 2048)
            let picked = IMSIC.pickTopei(threshold: threshold, pendingWords: summary, candidates: { cands[$0] })
            var reference = 0
            for id in 1...2047 where cands[id / 32] & (1 << UInt32(id % 32)) != 0 {
                reference = id
                break
            }
            if threshold != 0 && reference >= Int(threshold) { reference = 0 }
            #expect(picked == reference)
        }
    }

    @Test func guestFileStormCheckAndInService() {
        let m = IMSIC(harts: 1, guestFiles: 1)
        let g = GuestInterruptFile(imsic: m, hart: 0, file: 1)
        g.setPriority(6, 1)
        #expect(m.isEnabled(hart: 0, file: 1, 6), "the guest enables the identity it sets up")
        #expect(!g.inject(6) && g.hasPending)
        #expect(g.inject(6), "still pending: a storm")
        #expect(g.claim() == 6 && g.isInService(6) && !g.hasPending)
        let d = g.deliver(6)
        #expect(!d.alreadyPending && d.inService && d.isStorm)
        #expect(g.claim() == 6)
        g.complete(6)
        #expect(!g.isInService(6) && !g.inject(6))
    }

    @Test func deliveryCountsMergesLostEdgesAndGuestStorms() {
        let m = IMSIC(harts: 1, guestFiles: 1)
        let g = GuestInterruptFile(imsic: m, hart: 0, file: 1)
        g.setPriority(2, 1)
        m.setEnabled(hart: 0, file: 0, 1, true)
        let d = IMSICDelivery(imsic: m, guestFiles: [g])
        d.receiveMSI(hart: 0, file: 0, eiid: 1, edge: true)
        d.receiveMSI(hart: 0, file: 0, eiid: 1, edge: true)
        d.receiveMSI(hart: 0, file: 0, eiid: 1, edge: false)
        #expect(d.msisMerged == 2 && d.mergedEdgeMSIs == 1 && d.guestStorms == 0)
        d.receiveMSI(hart: 0, file: 1, eiid: 2, edge: false)
        #expect(g.claim() == 2)
        d.receiveMSI(hart: 0, file: 1, eiid: 2, edge: false)
        #expect(d.guestStorms == 1 && d.msisMerged == 2, "in service: a storm, not a merge")
        d.receiveMSI(hart: 0, file: 1, eiid: 2, edge: false)
        #expect(d.guestStorms == 2 && d.msisMerged == 3)
    }
}

extension SplitMix: RandomNumberGenerator {}
