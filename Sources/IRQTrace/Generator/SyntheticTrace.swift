/// How arrivals are spaced on each source of a synthetic trace.
public enum ArrivalPattern: Sendable, Equatable {
    /// One record every `periodNs`. With n sources, source i starts at i * period / n so the
    /// sources interleave instead of colliding.
    case periodic(periodNs: UInt64)
    /// Poisson arrivals: exponential gaps with mean 1e9 / `ratePerSecond` ns.
    case poisson(ratePerSecond: Double)
    /// On/off bursts: Poisson arrivals at `ratePerSecond` during `onNs`, then silence for
    /// `offNs`, repeating from t = 0. All sources share the on/off phases (a correlated burst).
    case bursty(ratePerSecond: Double, onNs: UInt64, offNs: UInt64)
}

/// Gaps drawn from a second, longer exponential now and then (a two-phase hyperexponential):
/// traffic that pauses, like a NIC between bursts of application activity.
public struct LongGaps: Sendable, Equatable {
    /// Fraction of gaps, in (0, 1), drawn with `meanNs` instead of the pattern's own mean.
    public var share: Double
    public var meanNs: Double

    public init(share: Double, meanNs: Double) {
        self.share = share
        self.meanNs = meanNs
    }
}

/// Everything a synthetic trace depends on: the same options give the same events everywhere.
public struct SyntheticTraceOptions: Sendable, Equatable {
    public var pattern: ArrivalPattern
    /// Each source is an independent copy of the pattern (the total rate is the sum).
    public var sources: [UInt16]
    public var kind: RequestKind
    /// The kind of each source, in `sources` order; nil: every source is `kind`.
    public var kinds: [RequestKind]? = nil
    /// Units of work per record: fixed when the range is one value, else uniform in it.
    public var count: ClosedRange<UInt32>
    /// When set, units of work per record are drawn uniformly from these values instead of `count`.
    public var countChoices: [UInt32]? = nil
    /// Poisson only: a share of the gaps drawn with a longer mean.
    public var longGaps: LongGaps? = nil
    /// Stop before the first record at or after this time (ns).
    public var durationNs: UInt64?
    /// Stop after this many records in all.
    public var records: Int?
    public var seed: UInt64

    public init(pattern: ArrivalPattern, sources: [UInt16] = [1], kind: RequestKind = .level,
                count: ClosedRange<UInt32> = 1...1, durationNs: UInt64? = nil, records: Int? = nil,
                seed: UInt64 = 1) {
        self.pattern = pattern
        self.sources = sources
        self.kind = kind
        self.count = count
        self.durationNs = durationNs
        self.records = records
        self.seed = seed
    }

    /// Why these options cannot make a trace, or nil when they can.
    public var problem: String? {
        if sources.isEmpty { return "no sources given" }
        if let bad = sources.first(where: { !TraceEvent.sourceRange.contains($0) }) {
            return "source \(bad) is outside 1...1023"
        }
        if Set(sources).count != sources.count { return "a source is listed twice" }
        if count.lowerBound == 0 { return "count must be at least 1" }
        if let c = countChoices {
            if c.isEmpty { return "no count values given" }
            if c.contains(0) { return "count must be at least 1" }
        }
        if let k = kinds, k.count != sources.count {
            return "\(k.count) kinds for \(sources.count) sources: give one kind, or one per source"
        }
        if let g = longGaps {
            guard case .poisson = pattern else { return "long gaps apply to the poisson pattern only" }
            if !(g.share > 0 && g.share < 1) { return "long-gap share must be in (0, 1)" }
            if !(g.meanNs >= 1 && g.meanNs <= 1e15) { return "long-gap mean must be in [1, 1e15] ns" }
        }
        if durationNs == nil && records == nil { return "give a duration or a record count" }
        if let r = records, r < 0 { return "record count must not be negative" }
        if let d = durationNs, d > TraceEvent.maxTime { return "duration \(d) ns is beyond \(TraceEvent.maxTime) ns" }
        switch pattern {
        case .periodic(let p):
            if p == 0 { return "period must be at least 1 ns" }
        case .poisson(let r):
            if !(r > 0 && r <= 1e9) { return "rate must be in (0, 1e9] per second" }
        case .bursty(let r, let on, _):
            if !(r > 0 && r <= 1e9) { return "rate must be in (0, 1e9] per second" }
            if on == 0 { return "burst on-time must be at least 1 ns" }
        }
        return nil
    }
}

/// A seeded synthetic trace, generated lazily in time order (ties: the order of `sources`).
/// Times are integer ns from 0.
public struct SyntheticTrace: TraceStream {
    public let options: SyntheticTraceOptions
    private var lanes: [Lane]
    private var emitted = 0

    private struct Lane {
        var source: UInt16
        var rng: Xoshiro256StarStar
        var next: UInt64?  // nil: this lane is past maxTime
        var burstStart: UInt64 = 0
    }

    public init(_ options: SyntheticTraceOptions) throws {
        if let problem = options.problem {
            throw TraceError(.malformed, file: "generator", problem)
        }
        self.options = options
        lanes = []
        let n = UInt64(options.sources.count)
        for (i, source) in options.sources.enumerated() {
            // One independent stream per source, derived from the seed and the source's place.
            var mix = SplitMix64(seed: options.seed ^ (UInt64(i) &* 0xD1B5_4A32_D192_ED03))
            var lane = Lane(source: source, rng: Xoshiro256StarStar(seed: mix.next()), next: 0)
            switch options.pattern {
            case .periodic(let p):
                lane.next = UInt64(i) * (p / n)
            case .poisson, .bursty:
                lane.next = nil
                lane.next = Self.advance(&lane, from: 0, pattern: options.pattern, longGaps: options.longGaps)
            }
            lanes.append(lane)
        }
    }

    public mutating func next() -> TraceEvent? {
        if let limit = options.records, emitted >= limit { return nil }
        var best = -1
        var bestTime = UInt64.max
        for i in lanes.indices {
            if let t = lanes[i].next, t < bestTime || best < 0 {
                best = i
                bestTime = t
            }
        }
        guard best >= 0 else { return nil }
        if let d = options.durationNs, bestTime >= d { return nil }
        let count: UInt32
        let range = options.count
        if let choices = options.countChoices {
            count = choices.count == 1 ? choices[0] : choices[Int(lanes[best].rng.next() % UInt64(choices.count))]
        } else if range.lowerBound == range.upperBound {
            count = range.lowerBound
        } else {
            let width = UInt64(range.upperBound - range.lowerBound) + 1
            count = range.lowerBound + UInt32(lanes[best].rng.next() % width)
        }
        let kind = options.kinds?[best] ?? options.kind
        let event = TraceEvent(time: bestTime, source: lanes[best].source, kind: kind, count: count)
        lanes[best].next = Self.advance(&lanes[best], from: bestTime, pattern: options.pattern, longGaps: options.longGaps)
        emitted += 1
        return event
    }

    /// The lane's next arrival after one at `t` (or the first, when `lane.next` is nil).
    private static func advance(_ lane: inout Lane, from t: UInt64, pattern: ArrivalPattern,
                                longGaps: LongGaps?) -> UInt64? {
        let candidate: UInt64
        switch pattern {
        case .periodic(let p):
            candidate = t &+ p
            if candidate < t { return nil }
        case .poisson(let rate):
            var mean = 1e9 / rate
            // The choice is drawn first, then the gap, so a trace without long gaps draws exactly
            // as before.
            if let g = longGaps, lane.rng.nextUnit() < g.share { mean = g.meanNs }
            let gap = lane.rng.nextExponential(mean: mean)
            let (sum, o) = t.addingReportingOverflow(gap)
            if o { return nil }
            candidate = sum
        case .bursty(let rate, let on, let off):
            // Memoryless arrivals: a gap that runs past the burst's end is redrawn from the
            // next burst's start.
            var from = t
            while true {
                let gap = lane.rng.nextExponential(mean: 1e9 / rate)
                let (sum, o) = from.addingReportingOverflow(gap)
                if o { return nil }
                let burstEnd = lane.burstStart &+ on
                if sum < burstEnd {
                    candidate = sum
                    break
                }
                lane.burstStart = burstEnd &+ off
                if lane.burstStart > TraceEvent.maxTime { return nil }
                from = lane.burstStart
            }
        }
        return candidate <= TraceEvent.maxTime ? candidate : nil
    }
}

/// A `SyntheticTrace` as a record reader, for `TraceInput(reader:)` and the writers.
public final class SyntheticTraceReader: TraceRecordReader {
    private var trace: SyntheticTrace
    public var truncated: Bool { false }
    public var notes: [String] { [] }

    public init(_ options: SyntheticTraceOptions) throws { trace = try SyntheticTrace(options) }

    public func nextRecord() throws -> TraceEvent? { trace.next() }
}
