import IRQCore
import IRQReplay
import IRQTrace
import Testing

/// What each strategy does on each AIA controller (docs/model.md Part A, A.3-A.7), on small traces
/// whose outcome follows from the rules, not from running the engine first.
struct AIAStrategyBehaviourTests {
    func run(_ strategy: EndStrategy, _ events: [TraceEvent], _ params: [String: String],
             sources: SourceSettings = .init()) throws -> ReplayMetrics {
        var s = Scenario()
        for (k, v) in params.sorted(by: { $0.key < $1.key }) { try s.set(k, v) }
        var trace = ArrayTraceStream(events.normalized().events)
        return try ReplayEngine(scenario: s, sources: sources, strategy: strategy).run(&trace)
    }

    static let msi = ["irqchip": "aplic-msi"]
    static let direct = ["irqchip": "aplic-direct"]
    static let guestFile = ["irqchip": "aplic-msi", "guest_irqchip": "vaplic-msi"]
    let d = Scenario()
    let one = [TraceEvent(time: 0, source: 1, kind: .level, count: 1)]

    /// Level requests far enough apart that each is serviced before the next.
    static func spaced(_ n: Int, gap: UInt64 = 20_000, kind: RequestKind = .level) -> [TraceEvent] {
        (0..<n).map { TraceEvent(time: UInt64($0) * gap, source: 1, kind: kind, count: 1) }
    }

    /// Level requests that arrive while the previous one is being serviced.
    static func close(_ n: Int) -> [TraceEvent] { spaced(n, gap: 1_000) }

    @Test func directGuestEndIsHostEnd() throws {
        let events = Self.close(20) + [TraceEvent(time: 50_000, source: 1, kind: .level, count: 3)]
        let host = try run(.hostEnd, events, Self.direct)
        let guest = try run(.guestEnd, events, Self.direct)
        #expect(host.rows.map(\.value) == guest.rows.map(\.value))
        #expect(host.stormIRQs > 0)
    }

    @Test func directMaskUnmaskNeverStormsAndHasNoSpuriousHandler() throws {
        let m = try run(.maskUnmask, Self.close(20), Self.direct)
        #expect(m.stormIRQs == 0 && m.guestSpurious == 0)
        #expect(m.aia?.unservedRequests == 0)
        // The line's fall clears pending at once: one dispatch per handler.
        #expect(m.physicalIRQs == m.guestInterrupts)
    }

    @Test func msiGuestEndNeitherStormsNorLoses() throws {
        let m = try run(.guestEnd, Self.close(30), Self.msi)
        #expect(m.stormIRQs == 0)
        #expect(m.aia?.unservedRequests == 0 && m.consumedRequests == 30)
        #expect(m.physicalIRQs == m.guestInterrupts)
        #expect(m.aia!.retriggersEffective >= 1, "a request arrived during each service: the EOI's setipnum re-sent it")
    }

    @Test func msiHostEndStormsLikeThePLIC() throws {
        let msi = try run(.hostEnd, one, Self.msi)
        let plic = try run(.hostEnd, one, [:])
        #expect(msi.stormIRQs > 0 && msi.physicalIRQs == plic.physicalIRQs)
        #expect(msi.aia!.retriggers == msi.physicalIRQs, "one setipnum per dispatch")
    }

    @Test func noRetriggerLosesOnlyWhatArrivesDuringTheService() throws {
        let apart = try run(.hostEndNoretrigger, Self.spaced(10), Self.msi)
        #expect(apart.aia?.unservedRequests == 0 && apart.stormIRQs == 0 && apart.aia?.retriggers == 0)
        let close = try run(.hostEndNoretrigger, Self.close(10), Self.msi)
        #expect(close.physicalIRQs == 1, "the line never falls again, so nothing is ever re-sent")
        #expect(close.aia!.unservedRequests > 0)
        #expect(close.consumedRequests + close.aia!.unservedRequests == 10)
    }

    /// MSI mode withdraws the held bit when the line falls: no spurious handler (the PLIC has one).
    @Test func msiMaskUnmaskHasNoSpuriousHandler() throws {
        let msi = try run(.maskUnmask, one, Self.msi)
        let plic = try run(.maskUnmask, one, [:])
        #expect(msi.guestSpurious == 0 && msi.physicalIRQs == 1 && msi.aia?.withdrawn == 1)
        #expect(plic.guestSpurious == 1 && plic.physicalIRQs == 2)
    }

    /// aia-guest-file: the hypervisor runs only the guest's trapped level EOIs.
    @Test func guestFileCostsOnlyTheEOITrap() throws {
        let m = try run(.aiaGuestFile, Self.spaced(10), Self.guestFile)
        let trap = d.trapEntry + d.vmmio + d.completeMMIO + d.trapExit
        #expect(m.hypBusy == 10 * trap)
        #expect(m.physicalIRQs == 10 && m.guestInterrupts == 10 && m.stormIRQs == 0)
        // Claimed by the guest at the end of virq_entry + vtopei.
        #expect(m.requestToGuest.max == d.virqEntry + d.vtopei)
    }

    /// With the guest-file view an edge source's handler ends without any write: no trap at all.
    @Test func guestFileEdgeSourceNeverTraps() throws {
        let m = try run(.aiaGuestFile, Self.spaced(10, kind: .edge), Self.guestFile)
        #expect(m.hypBusy == 0 && m.physicalIRQs == 10)
        #expect(m.claimToComplete.count == 0, "no re-trigger for an edge source")
        let gv = try run(.guestEnd, Self.spaced(10, kind: .edge), Self.guestFile)
        #expect(gv.hypBusy == 10 * (d.trapEntry + d.topeiClaim + d.inject + d.trapExit), "only the dispatches")
    }

    /// vaplic-msi with mask-unmask leaves an edge source unmasked (no EOI trap would unmask it).
    @Test func guestFileMaskUnmaskDoesNotMaskEdgeSources() throws {
        let m = try run(.maskUnmask, Self.close(10).map { TraceEvent(time: $0.time, source: 1, kind: .edge, count: 1) },
                        Self.guestFile)
        #expect(m.aia?.unservedRequests == 0 && m.consumedRequests == 10)
        #expect(m.claimToComplete.count == 0)
    }

    /// Every MSI and every write into the guest file arrives `msi_latency` later.
    @Test func msiLatencyDelaysEveryDelivery() throws {
        for (p, s) in [(Self.msi, EndStrategy.guestEnd), (Self.guestFile, .guestEnd), (Self.guestFile, .aiaGuestFile)] {
            var late = p
            late["msi_latency"] = "300"
            let a = try run(s, one, p), b = try run(s, one, late)
            // guest-end through the guest file crosses two deliveries: the MSI, then the inject,
            // whose delay overlaps the dispatch's trap_exit (the guest runs once the hart is back).
            let inject: UInt64 = p["guest_irqchip"] != nil && s == .guestEnd ? 300 - d.trapExit : 0
            #expect(b.simEnd == a.simEnd + 300 + inject && b.hypBusy == a.hypBusy, "\(p) \(s.rawValue)")
        }
    }

    /// Host-owned sources: direct mode has no complete; MSI mode re-triggers level sources only.
    @Test func hostOwnedSourcesOnTheAIA() throws {
        var src = SourceSettings()
        src[1] = SourceSetting(owner: .host)
        let level = [TraceEvent(time: 0, source: 1, kind: .level, count: 1)]
        let edge = [TraceEvent(time: 0, source: 1, kind: .edge, count: 1)]
        let base = d.trapEntry + d.hostISR + d.trapExit
        #expect(try run(.guestEnd, level, Self.direct, sources: src).hypBusy == base + d.claimMMIO)
        #expect(try run(.guestEnd, level, Self.msi, sources: src).hypBusy == base + d.topeiClaim + d.completeMMIO)
        #expect(try run(.guestEnd, edge, Self.msi, sources: src).hypBusy == base + d.topeiClaim)
        let m = try run(.maskUnmask, level, Self.msi, sources: src)
        #expect(m.claimToComplete.max == d.hostISR + d.completeMMIO, "host sources end in their dispatch")
    }

    /// The inject into the guest file from another hart takes msi_latency, not ipi.
    @Test func crossHartInjectIntoTheGuestFile() throws {
        var src = SourceSettings()
        src[1] = SourceSetting(targetHart: 1)
        var p = Self.guestFile
        p["harts"] = "2"
        let m = try run(.guestEnd, one, p, sources: src)
        #expect(m.requestToGuest.max == d.trapEntry + d.topeiClaim + d.inject + d.virqEntry + d.vtopei)
        var v = Self.msi
        v["harts"] = "2"
        let viaVPLIC = try run(.guestEnd, one, v, sources: src)
        #expect(viaVPLIC.requestToGuest.max == d.trapEntry + d.topeiClaim + d.inject + d.ipi + d.virqEntry + d.trapEntry + d.vmmio)
    }

    /// SGEIs need all three: the guest-file view, a vCPU schedule and the flag.
    @Test func sgeiOnlyWithTheGuestFileViewAScheduleAndTheFlag() throws {
        let events = [TraceEvent(time: 0, source: 1, kind: .level, count: 1), TraceEvent(time: 900, source: 1, kind: .level, count: 1)]
        var p = Self.guestFile
        for (k, v) in [("vcpu_period", "1000"), ("vcpu_budget", "500"), ("service", "100"), ("per_unit", "0")] { p[k] = v }
        #expect(try run(.aiaGuestFile, events, p).aia?.sgeiTraps == 0, "flag off")
        p["sgei_when_descheduled"] = "1"
        let on = try run(.aiaGuestFile, events, p)
        #expect(on.aia?.sgeiTraps == 2)
        #expect(on.hypBusy == 2 * (d.trapEntry + d.sgeiHandler + d.trapExit) + 2 * (d.trapEntry + d.vmmio + d.completeMMIO + d.trapExit))
        var v = p
        v["guest_irqchip"] = "vplic"
        #expect(try run(.guestEnd, events, v).aia?.sgeiTraps == 0, "no guest file under vplic")
    }

    /// The AIA's parameters change nothing on the PLIC.
    @Test func aiaParametersDoNotTouchThePLIC() throws {
        let events = Self.close(20)
        for s in EndStrategy.plicStrategies {
            let plain = try run(s, events, [:])
            let with = try run(s, events, ["msi_latency": "700", "topei_claim": "9", "vtopei": "3", "guest_files": "0",
                                           "sgei_handler": "1", "sgei_when_descheduled": "1"])
            #expect(plain.rows.map(\.value) == with.rows.map(\.value) && plain.aia == nil)
        }
    }
}
