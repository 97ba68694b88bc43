import IRQReplay
import IRQResults

/// What one live run measured: the docs/model.md §9 metrics that apply to real threads, under
/// their contract names, plus the facts of the run itself.
///
/// Not measured live: `sim_end` (virtual time; `run_end` is its wall-clock counterpart).
public struct LiveMetrics: Sendable {
    public var requests: UInt64 = 0
    public var physicalIRQs: UInt64 = 0
    public var spuriousClaims: UInt64 = 0
    public var stormIRQs: UInt64 = 0
    public var guestInterrupts: UInt64 = 0
    public var guestSpurious: UInt64 = 0
    public var lostEdges: UInt64 = 0
    public var strayCompletes: UInt64 = 0
    public var peakIRQsPerMs: UInt64 = 0
    /// Time the harts spent inside dispatches (claim to the end of the type's `end`), all harts.
    public var hypBusy: UInt64 = 0
    /// From the start of the replay to the last handler's end, ns of CLOCK_MONOTONIC.
    public var runEnd: UInt64 = 0
    // Sized for every value from the start: measuring threads record as they go, and a
    // histogram that grew there would allocate in the middle of a measurement.
    public var claimToComplete = Distribution(presizedUpTo: Distribution.highestTrackable)
    public var requestToGuest = Distribution(presizedUpTo: Distribution.highestTrackable)
    public var requestToDone = Distribution(presizedUpTo: Distribution.highestTrackable)
    public var hostLatency = Distribution(presizedUpTo: Distribution.highestTrackable)
    /// How late the device thread raised requests against their intended times (its own jitter).
    public var deviceLateness = Distribution(presizedUpTo: Distribution.highestTrackable)
    /// Requests raised but never consumed by a handler (only after a stop: Ctrl-C or --duration).
    public var unconsumedRequests: UInt64 = 0
    /// True when Ctrl-C or the duration limit ended the run before the trace was done.
    public var stoppedEarly = false
    /// The AIA's counts (docs/model.md Part A, A.9) on an AIA controller; nil on others.
    public var aia: AIACounts? = nil
    /// The GIC's counts (docs/model.md Part G, G.8) on the GIC; nil on others.
    public var gic: GICCounts? = nil

    public init() {}

    public mutating func merge(_ o: LiveMetrics) {
        requests += o.requests; physicalIRQs += o.physicalIRQs; spuriousClaims += o.spuriousClaims
        stormIRQs += o.stormIRQs; guestInterrupts += o.guestInterrupts; guestSpurious += o.guestSpurious
        hypBusy += o.hypBusy; runEnd = max(runEnd, o.runEnd)
        claimToComplete.merge(o.claimToComplete); requestToGuest.merge(o.requestToGuest)
        requestToDone.merge(o.requestToDone); hostLatency.merge(o.hostLatency); deviceLateness.merge(o.deviceLateness)
    }

    public var distributions: [(name: String, distribution: Distribution)] {
        [("claim_to_complete", claimToComplete), ("request_to_guest", requestToGuest),
         ("request_to_done", requestToDone), ("host_latency", hostLatency), ("device_lateness", deviceLateness)]
    }

    public var rows: [(metric: String, value: String)] {
        var r: [(String, String)] = [
            ("requests", String(requests)), ("physical_irqs", String(physicalIRQs)),
            ("spurious_claims", String(spuriousClaims)), ("storm_irqs", String(stormIRQs)),
            ("guest_interrupts", String(guestInterrupts)), ("guest_spurious", String(guestSpurious)),
            ("lost_edges", String(lostEdges)), ("stray_completes", String(strayCompletes)),
            ("peak_irqs_per_ms", String(peakIRQsPerMs)), ("run_end", String(runEnd)),
            ("hyp_busy", String(hypBusy)), ("unconsumed_requests", String(unconsumedRequests)),
            ("stopped_early", stoppedEarly ? "1" : "0"),
        ]
        for (name, d) in distributions {
            for (suffix, v) in d.summary { r.append(("\(name)_\(suffix)", v)) }
        }
        if let a = aia { r += a.rows }
        if let g = gic { r += g.rows }
        return r
    }

    /// Results rows (kind `live`, repetition `rep`): every metric, then the latency buckets.
    public func resultRows(template: ResultRow, rep: Int) -> [ResultRow] {
        var t = template
        t.kind = .live
        t.rep = rep
        var out: [ResultRow] = rows.map { m, v in
            var row = t
            row.metric = m
            row.value = v
            return row
        }
        for (name, d) in distributions {
            out += LatencyBuckets.resultRows(name: name, template: t, recorded: d.recordedBuckets)
        }
        return out
    }
}
