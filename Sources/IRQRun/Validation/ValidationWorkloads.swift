import IRQCore
import IRQReplay
import IRQTrace

/// The Shedding Light benchmarks' workloads as traces (docs/validation.md "The predictions"), and
/// the replays `irqbench validate` makes of them.
public enum ValidationWorkloads {
    /// One replay: the model's metrics and the guest's service starts.
    public struct Replay: Sendable {
        public var metrics: ReplayMetrics
        public var starts: [ServiceStart]
    }

    public static func replay(_ events: [TraceEvent], scenario: Scenario, sources: SourceSettings = .init(),
                              strategy: EndStrategy) throws -> Replay {
        let engine = try ReplayEngine(scenario: scenario, sources: sources, strategy: strategy)
        var stream = ArrayTraceStream(events)
        let timeline = TimelineRows()
        let metrics = try engine.run(&stream, timeline: timeline)
        return Replay(metrics: metrics, starts: timeline.serviceStarts)
    }

    /// The storm handler of the fit (C4): a workload, not a platform parameter.
    public static func withStormHandler(_ scenario: Scenario) -> Scenario {
        var s = scenario
        s.service = ZCU104Fit.stormService.value
        s.perUnit = ZCU104Fit.stormPerUnit.value
        return s
    }

    // MARK: irqlat

    /// The virtual timer's expiry: one edge on source 1 at t = 0.
    public static let irqlatTrace = [TraceEvent(time: 0, source: 1, kind: .edge, count: 1)]

    // MARK: irqstorm

    /// First batch: sources 1-8 raised together; source 1's handler does two units of work (it
    /// also raises the second batch).
    static let firstBatch: [UInt16] = Array(1...8)
    /// Second batch: sources 9-16, more urgent than 2-8.
    static let secondBatch: [UInt16] = Array(9...16)

    /// Priorities as in the benchmark: the first handler's interrupt and the second batch share
    /// the top priority (2); sources 2-8 are less urgent (1). (The benchmark grades each batch
    /// further; the model's handling order depends only on the batches.)
    public static let stormSources: SourceSettings = {
        var s = SourceSettings()
        for id in [UInt16(1)] + secondBatch { s.settings[id] = SourceSetting(priority: 2) }
        return s
    }()

    static func batch(_ ids: [UInt16], at time: UInt64) -> [TraceEvent] {
        ids.map { TraceEvent(time: time, source: $0, kind: .level, count: $0 == 1 ? 2 : 1) }
    }

    /// The storm as the benchmark runs it: the second batch arrives when the first handler's EOIR
    /// write ends, which a replay of the first batch alone finds (the handler's service start +
    /// its work + `guest_eoir`). Returns the full trace.
    public static func stormTrace(scenario: Scenario, strategy: EndStrategy) throws -> [TraceEvent] {
        let first = batch(firstBatch, at: 0)
        let alone = try replay(first, scenario: scenario, sources: stormSources, strategy: strategy)
        guard let start = alone.starts.first else { throw ReplayError("the storm's first batch ran no handler") }
        let eoirEnd = start.time + scenario.service + scenario.perUnit * start.units + scenario.guestEOIR
        return first + batch(secondBatch, at: eoirEnd)
    }

    /// Handler positions: position 0 from t = 0 to the first service start, position i from
    /// service start i - 1 to service start i (handlers with work only).
    public static func positions(_ starts: [ServiceStart]) -> [UInt64] {
        var out: [UInt64] = []
        var previous: UInt64 = 0
        for s in starts where s.units > 0 {
            out.append(s.time - previous)
            previous = s.time
        }
        return out
    }
}
