import IRQCore
import IRQReplay

/// One live run: the scenario (its guest and handler work lengths, guest_min_run, edge queue and
/// rate-limit parameters apply; the simulated trap and MMIO costs do not: real code runs
/// instead), the per-source settings, the strategy, and how to pace and bound the run.
public struct LiveConfig: Sendable {
    public var scenario = Scenario()
    public var sources = SourceSettings()
    public var strategy: EndStrategy = .guestEnd
    /// Recorded gaps are multiplied by this (2 = half speed).
    public var timeScale: Double = 1
    /// Wall-clock limit of one repetition, ns; the run stops there and reports what it measured.
    public var durationNs: UInt64 = 10_000_000_000
    /// After the last request, how long the run waits for the handlers to drain, ns.
    public var drainNs: UInt64 = 2_000_000_000

    public init() {}

    public var harts: Int { Int(scenario.harts) }
}

public struct LiveError: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}
