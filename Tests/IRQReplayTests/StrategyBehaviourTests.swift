import IRQCore
import IRQReplay
import IRQTrace
import Testing

/// What each strategy of docs/model.md §7 does, on small traces whose outcome follows from
/// the rules (not from running the engine first).
struct StrategyBehaviourTests {
    func run(_ strategy: EndStrategy, _ events: [TraceEvent], _ params: [String: UInt64] = [:],
             sources: SourceSettings = .init()) throws -> ReplayMetrics {
        var s = Scenario()
        for (k, v) in params { try s.set(k, String(v)) }
        var trace = ArrayTraceStream(events.normalized().events)
        return try ReplayEngine(scenario: s, sources: sources, strategy: strategy).run(&trace)
    }

    let one = [TraceEvent(time: 0, source: 1, kind: .level, count: 1)]

    @Test func guestEndNeverStormsAndCompletesOncePerClaim() throws {
        let events = (0..<50).map { TraceEvent(time: UInt64($0) * 20_000, source: 1, kind: .level, count: 1) }
        let m = try run(.guestEnd, events)
        #expect(m.stormIRQs == 0)
        #expect(m.physicalIRQs == m.guestInterrupts)
        #expect(m.claimToComplete.count == m.physicalIRQs)
    }

    @Test func hostEndStormsWhileTheLineStaysHigh() throws {
        // A longer service keeps the line high longer: more storm IRQs.
        let short = try run(.hostEnd, one, ["service": 2000])
        let long = try run(.hostEnd, one, ["service": 20000])
        #expect(short.stormIRQs > 0)
        #expect(long.stormIRQs > short.stormIRQs)
    }

    /// mask-unmask: the re-forwarded pending bit is hidden by the mask, so no storm; the unmask at
    /// the guest's complete delivers it once more (one spurious handler for one request).
    @Test func maskUnmaskHasNoStormButOneExtraIRQ() throws {
        let m = try run(.maskUnmask, one)
        #expect(m.stormIRQs == 0)
        #expect(m.physicalIRQs == 2)
        #expect(m.guestSpurious == 1)
    }

    /// hw-eoi: no vcomplete trap, so the hypervisor does one dispatch and one vclaim trap only.
    @Test func hwEOISkipsTheVcompleteTrap() throws {
        let m = try run(.hwEOI, one)
        let d = Scenario()
        let dispatch = d.trapEntry + d.claimMMIO + d.inject + d.trapExit
        let vclaim = d.trapEntry + d.vmmio + d.trapExit
        #expect(m.hypBusy == dispatch + vclaim)
        #expect(m.stormIRQs == 0)
        // claim effect (trap_entry + claim) to the end of hw_eoi.
        let c2c = (dispatch - d.trapEntry - d.claimMMIO) + d.virqEntry + vclaim + d.service + d.perUnit + d.hwEOI
        #expect(m.claimToComplete.max == c2c)
    }

    /// host-end-ratelimit: beyond ratelimit_count dispatches in a window the source is masked for
    /// ratelimit_off, which ends the storm.
    @Test func rateLimitCutsTheStorm() throws {
        let plain = try run(.hostEnd, one, ["service": 200_000])
        let limited = try run(.hostEndRatelimit, one, ["service": 200_000, "ratelimit_count": 5, "ratelimit_window": 1_000_000, "ratelimit_off": 1_000_000])
        #expect(plain.physicalIRQs > 100)
        #expect(limited.physicalIRQs < 12)
        #expect(limited.requestToDone.count == 1)
    }

    @Test func hostOwnedSourceIsHandledByTheHypervisor() throws {
        var src = SourceSettings()
        src[2] = SourceSetting(owner: .host)
        for strategy in EndStrategy.plicStrategies {
            let m = try run(strategy, [TraceEvent(time: 0, source: 2, kind: .level, count: 1)], sources: src)
            #expect(m.guestInterrupts == 0)
            #expect(m.physicalIRQs == 1)
            // claim effect at trap_entry + claim_mmio; host_isr then complete.
            #expect(m.hostLatency.max == 150 + 100)
            #expect(m.requestToDone.max == 150 + 100 + 500)
            #expect(m.claimToComplete.max == 500 + 100)
        }
    }

    /// An inject from a hart other than the vCPU's reaches the guest `ipi` ns after the inject
    /// step ends; the vCPU's hart, idle in GUEST, takes it at once.
    @Test func injectFromAnotherHartIsDelayedByTheIPI() throws {
        var src = SourceSettings()
        src[1] = SourceSetting(targetHart: 1)
        let far = try run(.guestEnd, one, ["harts": 2], sources: src)
        let d = Scenario()
        let injected = d.trapEntry + d.claimMMIO + d.inject + d.ipi
        #expect(far.requestToGuest.max == injected + d.virqEntry + d.trapEntry + d.vmmio)
        #expect(far.stormIRQs == 0)
    }

    /// The guest only runs inside its budget; physical interrupts are taken regardless.
    @Test func vcpuScheduleDelaysTheGuestOnly() throws {
        let always = try run(.guestEnd, one)
        let sliced = try run(.guestEnd, one, ["vcpu_period": 1000, "vcpu_budget": 300])
        #expect(sliced.physicalIRQs == 1)
        #expect(sliced.requestToDone.max > always.requestToDone.max)
        #expect(sliced.hypBusy == always.hypBusy)
    }

    @Test func edgesBeyondTheQueueAreLost() throws {
        let edges = (0..<4).map { TraceEvent(time: UInt64($0) * 10, source: 1, kind: .edge, count: 1) }
        let m = try run(.guestEnd, edges, ["edge_queue": 1])
        // First forwarded, one queued, two lost while the gateway is closed.
        #expect(m.lostEdges == 2)
        #expect(m.physicalIRQs == 2)
    }
}
