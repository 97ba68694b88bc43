import IRQCore
import IRQReplay
import IRQTrace
import Testing

/// Real captures span years (1970 to 2038 in one of the fixtures): replays stay small.
struct LongGapTests {
    @Test func yearsBetweenRecordsKeepTheRateSeriesBounded() throws {
        let sixtyEightYears: UInt64 = 68 * 365 * 86_400 * 1_000_000_000
        var trace = ArrayTraceStream([
            TraceEvent(time: 0, source: 1, kind: .level, count: 1),
            TraceEvent(time: sixtyEightYears, source: 1, kind: .level, count: 1),
        ])
        let e = try ReplayEngine(scenario: Scenario(), strategy: .hostEnd,
                                 options: ReplayOptions(rateBucketNs: 1_000_000))
        let m = try e.run(&trace)
        #expect(m.physicalIRQs == 94, "47 per isolated request, as in the worked example")
        #expect(e.rateSeries.count <= 1 << 16)
        #expect(e.rateSeries.reduce(0) { $0 + UInt64($1) } == m.physicalIRQs)
        #expect(e.rateBucketNs > 1_000_000)
        #expect(m.simEnd == sixtyEightYears + 32_050)
    }
}
