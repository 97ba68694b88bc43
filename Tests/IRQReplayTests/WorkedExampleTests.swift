import IRQCore
import IRQReplay
import IRQTrace
import Testing

/// docs/model.md §10: defaults, 1 hart, one level request at t = 0. Every number exactly.
struct WorkedExampleTests {
    func replay(_ strategy: EndStrategy, _ events: [TraceEvent] = [TraceEvent(time: 0, source: 1, kind: .level, count: 1)],
                scenario: Scenario = Scenario(), sources: SourceSettings = .init()) throws -> ReplayMetrics {
        var trace = ArrayTraceStream(events)
        return try ReplayEngine(scenario: scenario, sources: sources, strategy: strategy).run(&trace)
    }

    @Test func guestEnd() throws {
        let m = try replay(.guestEnd)
        #expect(m.physicalIRQs == 1)
        #expect(m.stormIRQs == 0)
        #expect(m.guestInterrupts == 1)
        #expect(m.guestSpurious == 0)
        #expect(m.claimToComplete.count == 1 && m.claimToComplete.max == 3350 && m.claimToComplete.min == 3350)
        #expect(m.requestToGuest.count == 1 && m.requestToGuest.max == 850)
        #expect(m.requestToDone.count == 1 && m.requestToDone.max == 3200)
        #expect(m.simEnd == 3750)
        #expect(m.hypBusy == 1450)
        #expect(m.hostLatency.count == 0)
    }

    @Test func hostEnd() throws {
        let m = try replay(.hostEnd)
        #expect(m.physicalIRQs == 47)
        #expect(m.stormIRQs == 46)
        #expect(m.guestInterrupts == 2)
        #expect(m.guestSpurious == 1)
        #expect(m.claimToComplete.count == 47)
        #expect(m.claimToComplete.min == 150 && m.claimToComplete.max == 150, "every sample is 150")
        #expect(m.requestToGuest.max == 2050)
        #expect(m.requestToDone.max == 28050)
        #expect(m.simEnd == 32050)
        #expect(m.hypBusy == 27650)
        #expect(m.peakIRQsPerMs == 47)
    }

    @Test func reportedRowsAreExact() throws {
        let rows = Dictionary(uniqueKeysWithValues: try replay(.guestEnd).rows.map { ($0.metric, $0.value) })
        #expect(rows["claim_to_complete_p50"] == "3350")
        #expect(rows["claim_to_complete_mean"] == "3350.000")
        #expect(rows["request_to_guest_p999"] == "850")
        #expect(rows["host_latency_p50"] == "")
        #expect(rows["host_latency_mean"] == "")
    }

    /// The model's t = 0 is the earliest trace event, so a shifted trace replays the same.
    @Test func timesAreRelativeToTheFirstEventInTheTraceInput() throws {
        let shifted = [TraceEvent(time: 5_000_000_000, source: 1, kind: .level, count: 1)].normalized().events
        let m = try replay(.guestEnd, shifted)
        #expect(m.simEnd == 3750)
    }
}
