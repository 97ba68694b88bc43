import IRQCore

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
    /// The AIA's counts (docs/model.md Part A, A.9); nil on other controllers, whose rows they are not.
    public var aia: AIACounts? = nil
    /// The GIC's counts (docs/model.md Part G, G.8); nil on other controllers, whose rows they are not.
    public var gic: GICCounts? = nil

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
        if let a = aia { r += a.rows }
        if let g = gic { r += g.rows }
        return r
    }

    /// The names of `rows`, for documentation and schema checks.
    public static var metricNames: [String] { ReplayMetrics().rows.map(\.metric) }
}

/// The counts the AIA adds to docs/model.md §9 (Part A, A.9).
public struct AIACounts: Sendable, Equatable {
    /// MSIs the APLIC sent.
    public var msisSent: UInt64 = 0
    /// APLIC MSIs that found their identity already pending in the interrupt file.
    public var msisMerged: UInt64 = 0
    /// `setipnum` writes of the hypervisor (and of the guest's EOI, written through).
    public var retriggers: UInt64 = 0
    /// Those that found the line high and set pending.
    public var retriggersEffective: UInt64 = 0
    /// Pending bits cleared by a falling line.
    public var withdrawn: UInt64 = 0
    /// SGEI traps taken (a guest file signalled while its vCPU was not runnable).
    public var sgeiTraps: UInt64 = 0
    /// Requests no handler had consumed when the replay ended.
    public var unservedRequests: UInt64 = 0

    public init() {}

    /// The platform's counts at the end of a run, with the SGEIs taken and the requests left.
    public init(_ p: AIAPlatform, sgeiTraps: UInt64, unservedRequests: UInt64) {
        msisSent = p.aplic.msisSent
        msisMerged = p.delivery.msisMerged
        retriggers = p.aplic.retriggers
        retriggersEffective = p.aplic.effectiveRetriggers
        withdrawn = p.aplic.withdrawn
        self.sgeiTraps = sgeiTraps
        self.unservedRequests = unservedRequests
    }

    public var rows: [(metric: String, value: String)] {
        [("msis_sent", String(msisSent)), ("msis_merged", String(msisMerged)), ("retriggers", String(retriggers)),
         ("retriggers_effective", String(retriggersEffective)), ("withdrawn", String(withdrawn)),
         ("sgei_traps", String(sgeiTraps)), ("unserved_requests", String(unservedRequests))]
    }

    public static var metricNames: [String] { AIACounts().rows.map(\.metric) }
}
