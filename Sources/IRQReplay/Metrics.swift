/// The metrics of docs/model.md §9 for one (trace, scenario, strategy) replay.
public struct ReplayMetrics: Sendable {
    public var requests: UInt64 = 0
    public var physicalIRQs: UInt64 = 0
    public var spuriousClaims: UInt64 = 0
    public var stormIRQs: UInt64 = 0
    public var guestInterrupts: UInt64 = 0
    public var guestSpurious: UInt64 = 0
    public var lostEdges: UInt64 = 0
    public var strayCompletes: UInt64 = 0
    public var peakIRQsPerMs: UInt64 = 0
    public var simEnd: UInt64 = 0
    public var hypBusy: UInt64 = 0
    public var claimToComplete = Distribution()
    public var requestToGuest = Distribution()
    public var requestToDone = Distribution()
    public var hostLatency = Distribution()

    /// Not model metrics (docs/model.md §9): bookkeeping for conservation checks and reports.
    public var consumedRequests: UInt64 = 0
    /// Simulated happenings processed (trace events, step ends, IPIs, timers).
    public var events: UInt64 = 0
    /// Start of the 1 ms bucket with the most physical IRQs (the storm's window).
    public var peakBucketStart: UInt64 = 0

    public init() {}

    /// The distributions, by metric name prefix, in docs/model.md §9 order.
    public var distributions: [(name: String, distribution: Distribution)] {
        [("claim_to_complete", claimToComplete), ("request_to_guest", requestToGuest),
         ("request_to_done", requestToDone), ("host_latency", hostLatency)]
    }

    /// Every metric of docs/model.md §9 as (name, value text), in the contract's order.
    public var rows: [(metric: String, value: String)] {
        var r: [(String, String)] = [
            ("requests", String(requests)), ("physical_irqs", String(physicalIRQs)),
            ("spurious_claims", String(spuriousClaims)), ("storm_irqs", String(stormIRQs)),
            ("guest_interrupts", String(guestInterrupts)), ("guest_spurious", String(guestSpurious)),
            ("lost_edges", String(lostEdges)), ("stray_completes", String(strayCompletes)),
            ("peak_irqs_per_ms", String(peakIRQsPerMs)), ("sim_end", String(simEnd)),
            ("hyp_busy", String(hypBusy)),
        ]
        for (name, d) in distributions {
            for (suffix, v) in d.summary { r.append(("\(name)_\(suffix)", v)) }
        }
        return r
    }

    /// The names of `rows`, for documentation and schema checks.
    public static var metricNames: [String] { ReplayMetrics().rows.map(\.metric) }
}
