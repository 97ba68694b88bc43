import IRQCore
import IRQReplay
import IRQTrace
import Testing

/// docs/model.md Part A, A.11: the AIA's worked examples (defaults, one hart, the vCPU always
/// runnable), every number exactly. The numbers were derived by hand from the rules.
struct AIAWorkedExampleTests {
    static let one = [TraceEvent(time: 0, source: 1, kind: .level, count: 1)]
    static let two = [TraceEvent(time: 0, source: 1, kind: .level, count: 1),
                      TraceEvent(time: 1000, source: 1, kind: .level, count: 1)]

    func replay(_ strategy: EndStrategy, _ params: [String: String], _ events: [TraceEvent] = one) throws -> ReplayMetrics {
        var s = Scenario()
        for (k, v) in params.sorted(by: { $0.key < $1.key }) { try s.set(k, v) }
        var trace = ArrayTraceStream(events)
        return try ReplayEngine(scenario: s, strategy: strategy).run(&trace)
    }

    static let msi = ["irqchip": "aplic-msi"]
    static let direct = ["irqchip": "aplic-direct"]
    static let guestFile = ["irqchip": "aplic-msi", "guest_irqchip": "vaplic-msi"]

    /// Every sample of `d` equals `v`.
    func only(_ d: Distribution, _ v: UInt64, count: UInt64 = 1) -> Bool { d.count == count && d.min == v && d.max == v }
    /// Exactly the two samples `a` and `b`.
    func pair(_ d: Distribution, _ a: UInt64, _ b: UInt64) -> Bool {
        d.count == 2 && d.min == Swift.min(a, b) && d.max == Swift.max(a, b) && d.sum == UInt128(a + b)
    }

    @Test("M-1: aplic-msi, vplic, guest-end") func m1() throws {
        let m = try replay(.guestEnd, Self.msi)
        #expect(m.physicalIRQs == 1 && m.stormIRQs == 0 && m.guestInterrupts == 1 && m.guestSpurious == 0)
        #expect(only(m.claimToComplete, 3350))
        #expect(only(m.requestToGuest, 770))
        #expect(only(m.requestToDone, 3120))
        #expect(m.simEnd == 3670 && m.hypBusy == 1370)
        // The guest's setipnum at 3520 finds the line low: written, not effective.
        #expect(m.aia?.retriggers == 1 && m.aia?.retriggersEffective == 0 && m.aia?.msisSent == 1)
    }

    @Test("M-2: aplic-msi, vplic, host-end; and with msi_latency = 100") func m2() throws {
        for (latency, simEnd) in [("0", UInt64(28290)), ("100", 28390)] {
            var p = Self.msi
            p["msi_latency"] = latency
            let m = try replay(.hostEnd, p)
            #expect(m.physicalIRQs == 47 && m.stormIRQs == 46 && m.guestInterrupts == 2 && m.guestSpurious == 1)
            #expect(only(m.claimToComplete, 150, count: 47), "every sample 150")
            if latency == "0" {
                #expect(only(m.requestToGuest, 1810))
                #expect(only(m.requestToDone, 24370))
            }
            #expect(m.simEnd == simEnd, "msi_latency \(latency)")
            #expect(m.hypBusy == 23890)
        }
    }

    @Test("M-3: aplic-msi, vplic, mask-unmask: the held pending bit is withdrawn") func m3() throws {
        let m = try replay(.maskUnmask, Self.msi)
        #expect(m.physicalIRQs == 1 && m.guestInterrupts == 1 && m.guestSpurious == 0)
        #expect(only(m.claimToComplete, 3550))
        #expect(only(m.requestToGuest, 970))
        #expect(only(m.requestToDone, 3320))
        #expect(m.simEnd == 3870 && m.hypBusy == 1570)
        #expect(m.aia?.withdrawn == 1 && m.aia?.retriggersEffective == 1)
    }

    @Test("P-1: the PLIC contrast of M-3 (mask-unmask keeps the bit past the line's fall)") func p1() throws {
        let m = try replay(.maskUnmask, [:])
        #expect(m.physicalIRQs == 2 && m.guestInterrupts == 2 && m.guestSpurious == 1)
        #expect(pair(m.claimToComplete, 3550, 3350))
        #expect(only(m.requestToGuest, 1050))
        #expect(only(m.requestToDone, 3400))
        #expect(m.simEnd == 7750 && m.hypBusy == 3300)
        #expect(m.aia == nil, "no AIA counts on the PLIC")
    }

    @Test("D-1: aplic-direct, vplic, host-end and guest-end give the same storm", arguments: [EndStrategy.hostEnd, .guestEnd])
    func d1(_ strategy: EndStrategy) throws {
        let m = try replay(strategy, Self.direct)
        #expect(m.physicalIRQs == 46 && m.stormIRQs == 45 && m.guestInterrupts == 2 && m.guestSpurious == 1)
        #expect(m.claimToComplete.count == 0, "no complete exists in direct mode")
        #expect(only(m.requestToGuest, 1750))
        #expect(only(m.requestToDone, 23450))
        #expect(m.simEnd == 26900 && m.hypBusy == 22500)
    }

    @Test("D-2: aplic-direct, vplic, mask-unmask") func d2() throws {
        let m = try replay(.maskUnmask, Self.direct)
        #expect(m.physicalIRQs == 1 && m.guestInterrupts == 1 && m.guestSpurious == 0)
        #expect(only(m.claimToComplete, 3450))
        #expect(only(m.requestToGuest, 950))
        #expect(only(m.requestToDone, 3300))
        #expect(m.simEnd == 3850 && m.hypBusy == 1550)
    }

    @Test("G-1: aia-guest-file, no dispatch; and with msi_latency = 100") func g1() throws {
        let m = try replay(.aiaGuestFile, Self.guestFile)
        #expect(m.physicalIRQs == 1 && m.stormIRQs == 0 && m.guestInterrupts == 1)
        #expect(only(m.claimToComplete, 2600))
        #expect(only(m.requestToGuest, 120))
        #expect(only(m.requestToDone, 2320))
        #expect(m.simEnd == 2870 && m.hypBusy == 550)
        var p = Self.guestFile
        p["msi_latency"] = "100"
        let late = try replay(.aiaGuestFile, p)
        #expect(only(late.requestToGuest, 220))
        #expect(only(late.requestToDone, 2420))
        #expect(late.simEnd == 2970)
    }

    @Test("G-2: aplic-msi, vaplic-msi, guest-end: the inject writes the guest file, vclaim does not trap") func g2() throws {
        let m = try replay(.guestEnd, Self.guestFile)
        #expect(m.physicalIRQs == 1)
        #expect(only(m.claimToComplete, 2920))
        #expect(only(m.requestToGuest, 490))
        #expect(only(m.requestToDone, 2690))
        #expect(m.simEnd == 3240 && m.hypBusy == 920)
    }

    @Test("M-4: two requests, guest-end: the guest's setipnum finds the line high") func m4() throws {
        let m = try replay(.guestEnd, Self.msi, Self.two)
        #expect(m.physicalIRQs == 2 && m.stormIRQs == 0 && m.guestInterrupts == 2)
        #expect(pair(m.requestToGuest, 770, 3490))
        #expect(pair(m.requestToDone, 3120, 5840))
        #expect(m.simEnd == 7390 && m.hypBusy == 2740)
    }

    @Test("M-5: two requests, host-end-noretrigger: the second is never served") func m5() throws {
        let m = try replay(.hostEndNoretrigger, Self.msi, Self.two)
        #expect(m.aia?.unservedRequests == 1)
        #expect(m.physicalIRQs == 1)
        #expect(m.simEnd == 3570 && m.hypBusy == 1270)
    }

    @Test("G-3: two requests, aia-guest-file: the setipnum in the EOI trap sends the second MSI") func g3() throws {
        let m = try replay(.aiaGuestFile, Self.guestFile, Self.two)
        #expect(m.physicalIRQs == 2)
        #expect(pair(m.requestToGuest, 120, 1990))
        #expect(pair(m.requestToDone, 2320, 4190))
        #expect(m.simEnd == 5740 && m.hypBusy == 1100)
    }
}
