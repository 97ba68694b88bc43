import IRQCore
import IRQTrace

/// The deterministic replay of docs/model.md: a trace drives devices, the interrupt controller
/// that `scenario.irqchip` names and the dispatch core (IRQCore) on simulated harts, and a guest
/// vCPU services the injected vIRQs.
///
/// This is the entry point; the machine itself is a controller family's `Machine` subclass.
public final class ReplayEngine {
    public let scenario: Scenario
    public let strategy: EndStrategy
    public let settings: SourceSettings
    let machine: Machine

    /// Checks the scenario and the strategy against it (a clear error names a rejected
    /// combination), then builds the family's machine.
    public init(scenario: Scenario, sources: SourceSettings = .init(), strategy: EndStrategy,
                options: ReplayOptions = .init()) throws {
        try scenario.validate()
        try scenario.check(strategy: strategy, sources: sources)
        self.scenario = scenario
        self.strategy = strategy
        self.settings = sources
        switch scenario.irqchip {
        case .plic:
            machine = try PLICMachine(scenario: scenario, sources: sources, strategy: strategy, options: options)
        case .aplicDirect, .aplicMSI:
            machine = try AIAMachine(scenario: scenario, sources: sources, strategy: strategy, options: options)
        case .gicv2:
            machine = try GICMachine(scenario: scenario, sources: sources, strategy: strategy, options: options)
        }
    }

    /// Replays `trace` to the end (and until every consequence has settled) and returns the metrics.
    /// With a `timeline` sink, every request's times and every guest service start also go there
    /// as rows (docs/timeline.md); the metrics are the same either way.
    public func run<S: TraceStream>(_ trace: inout S, timeline: (any TimelineSink)? = nil) throws -> ReplayMetrics {
        guard let timeline else { return try machine.run(&trace) }
        machine.timeline = TimelineRecorder(sink: timeline, guestHart: machine.guestHart)
        defer { machine.timeline = nil }
        let metrics = try machine.run(&trace)
        machine.timelineFinished()
        return metrics
    }

    /// Physical IRQs per bucket of `rateBucketNs` (when `ReplayOptions.rateBucketNs` was set).
    public var rateSeries: [UInt32] { machine.rateSeries }
    /// Width of a `rateSeries` bucket (ns); it doubles when a long trace would need too many.
    public var rateBucketNs: UInt64 { machine.rateBucketNs }
    /// Requests that no handler consumed (units of lost edges whose source never fired again).
    public var unconsumedRequests: UInt64 { machine.unconsumedRequests }
}
