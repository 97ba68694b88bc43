import Histogram

/// One latency distribution of docs/model.md §9: exact count, sum, min and max, and an
/// HdrHistogram (3 significant digits) for the percentiles.
public struct Distribution: Sendable {
    /// The library's histogram once one was made: by `init(presizedUpTo:)`, or at the first
    /// sample recorded through the library (`record`, `merge`, a second `addBuckets`). nil while
    /// the samples are exactly `buckets` (none, or a replay's counts, added in one go by
    /// `addBuckets`): reports read that list, so a replay makes no histogram at all. Making one
    /// and recording its buckets through the library cost more instructions than a short
    /// replay's recording of its samples (docs/performance.md); `histogram` makes it on demand.
    private var stored: Histogram<UInt64>? = nil
    /// The non-empty buckets, ascending, while `stored` is nil: (the bucket's lowest value, its
    /// count). Reports read them instead of walking every bucket up to the largest sample
    /// through the library's iterator, twice per distribution (percentiles, then the results'
    /// buckets).
    private var buckets: [(value: UInt64, count: UInt64)] = []
    public private(set) var count: UInt64 = 0
    public private(set) var sum: UInt128 = 0
    public private(set) var min: UInt64 = .max
    public private(set) var max: UInt64 = 0

    /// The samples as the library's histogram (3 significant digits from 1), grown as far as the
    /// largest sample: the one a distribution kept before it kept only `buckets`, made again at
    /// each access while it keeps only them.
    public var histogram: Histogram<UInt64> {
        if let h = stored { return h }
        var h = Self.histogram(upTo: buckets.last?.value ?? 2)
        for (v, n) in buckets { _ = h.record(v, count: n) }
        return h
    }

    /// The histogram to record into through the library, made from `buckets` first if need be.
    private mutating func materialize() {
        guard stored == nil else { return }
        stored = histogram
        buckets = []
    }

    /// Values above this are counted in its bucket (the exact max still says how far they went).
    public static let highestTrackable: UInt64 = 1 << 62

    /// No samples, and no histogram until one is needed (`histogram`): it is then made at its
    /// smallest and grown to the largest value recorded. The bucket layout depends only on the
    /// lowest discernible value and the significant digits, so every count, percentile and
    /// bucket is the same as with a histogram sized for 2^62 from the start, which costs 55,296
    /// counts (442 KB) made, zeroed and later walked per distribution: most of a short process's
    /// page faults (docs/performance.md, "The fixed cost of a process"). Growing allocates: the
    /// replay counts its samples in `HistogramCounts` and adds them here once, at the end.
    public init() {}

    /// A histogram sized for every value up to `highest` at once, so recording never allocates
    /// (live mode's measuring threads record as they go). Same layout and results as `init()`.
    public init(presizedUpTo highest: UInt64) {
        stored = Self.histogram(upTo: highest)
    }

    /// An empty auto-resizing histogram of the one layout, sized for values up to `highest`.
    private static func histogram(upTo highest: UInt64) -> Histogram<UInt64> {
        var h = Histogram<UInt64>(lowestDiscernibleValue: 1,
                                  highestTrackableValue: Swift.min(Swift.max(highest, 2), highestTrackable),
                                  numberOfSignificantValueDigits: .three)
        h.autoResize = true
        return h
    }

    @inline(__always)
    public mutating func record(_ v: UInt64) {
        recordScalars(v)
        materialize()
        _ = stored!.record(Swift.min(v, Self.highestTrackable))
    }

    /// A sample whose histogram bucket is counted elsewhere (the replay's `HistogramCounts`, which
    /// adds it with `addBuckets` at the end): only the exact count, sum, min and max.
    @inline(__always)
    mutating func recordScalars(_ v: UInt64) {
        count &+= 1
        sum &+= UInt128(v)
        if v < min { min = v }
        if v > max { max = v }
    }

    /// `n` samples of value `v` whose bucket is counted elsewhere (a fast-forwarded storm's cycles).
    @inline(__always)
    mutating func recordScalars(_ v: UInt64, count n: UInt64) {
        count &+= n
        sum &+= UInt128(v) * UInt128(n)
        if v < min { min = v }
        if v > max { max = v }
    }

    /// Samples already in the scalars (`recordScalars`), given as non-empty buckets in ascending
    /// order: (the bucket's lowest value, its count). Into a distribution with no other samples
    /// they are only kept (the library's histogram, if one is asked for, is made from them
    /// at once large enough for the last one, so a replay allocates the same whatever its
    /// latencies: the library's own growth appends its counts through unspecialized generic
    /// code, several times the instructions of making them).
    mutating func addBuckets(_ list: [(value: UInt64, count: UInt64)]) {
        guard !list.isEmpty else { return }
        if let h = stored, h.totalCount == 0 { stored = nil }
        if stored == nil && buckets.isEmpty {
            buckets = list
            return
        }
        materialize()
        for (v, n) in list { _ = stored!.record(v, count: n) }
    }

    /// `n` samples of value `v` at once (a fast-forwarded storm's cycles).
    public mutating func record(_ v: UInt64, count n: UInt64) {
        guard n > 0 else { return }
        recordScalars(v, count: n)
        materialize()
        _ = stored!.record(Swift.min(v, Self.highestTrackable), count: n)
    }

    /// Nearest rank: the value of rank ceil(p x N) (at least 1), p given in parts per million so
    /// the rank is computed exactly in integers. The histogram bucket's lowest value, kept within
    /// [min, max] so single-valued distributions are reported exactly.
    public func percentile(ppm: UInt64) -> UInt64? {
        percentiles(ppm: [ppm])[0]
    }

    /// Several percentiles (`ppm` ascending) in one walk over the non-empty buckets: the walk,
    /// not the arithmetic, is what a percentile costs, and every replay reports three per
    /// distribution.
    public func percentiles(ppm: [UInt64]) -> [UInt64?] {
        guard count > 0 else { return ppm.map { _ in nil } }
        return percentiles(ppm: ppm, in: recordedBuckets)
    }

    /// `percentiles(ppm:)` over the non-empty buckets (lowest value, count), ascending.
    private func percentiles(ppm: [UInt64], in recorded: [(value: UInt64, count: UInt64)]) -> [UInt64?] {
        var out = [UInt64?](repeating: max, count: ppm.count)
        var next = 0
        var seen: UInt128 = 0
        var rank = Self.rank(ppm[0], of: count)
        for (lo, n) in recorded {
            seen += UInt128(n)
            while seen >= rank {
                out[next] = Swift.min(Swift.max(lo, min), max)
                next += 1
                if next == ppm.count { return out }
                precondition(ppm[next] >= ppm[next - 1], "percentiles must be asked in ascending order")
                rank = Self.rank(ppm[next], of: count)
            }
        }
        return out
    }

    private static func rank(_ ppm: UInt64, of count: UInt64) -> UInt128 {
        Swift.max(1, (UInt128(ppm) * UInt128(count) + 999_999) / 1_000_000)
    }

    /// Adds another distribution's samples (live mode records per thread and merges at the end,
    /// so measuring threads never share a histogram).
    public mutating func merge(_ o: Distribution) {
        guard o.count > 0 else { return }
        materialize()
        stored!.add(o.histogram)
        count += o.count
        sum += o.sum
        min = Swift.min(min, o.min)
        max = Swift.max(max, o.max)
    }

    /// sum / N as a number (terminal summaries; results use `meanText`).
    public var mean: Double? { count > 0 ? Double(sum) / Double(count) : nil }

    /// sum / N with three decimals, rounded half up, in integer arithmetic (byte-identical everywhere).
    public var meanText: String? {
        guard count > 0 else { return nil }
        let scaled = (sum * 1000 * 2 + UInt128(count)) / (UInt128(count) * 2)
        let whole = scaled / 1000
        let frac = scaled % 1000
        let f = String(frac)
        return "\(whole).\(String(repeating: "0", count: 3 - f.count))\(f)"
    }

    /// The five reported statistics, in docs/model.md §9 order, empty when there are no samples.
    public var summary: [(suffix: String, value: String)] {
        func t(_ v: UInt64?) -> String { v.map(String.init) ?? "" }
        let p = percentiles(ppm: [500_000, 990_000, 999_000])
        return [
            ("p50", t(p[0])),
            ("p99", t(p[1])),
            ("p999", t(p[2])),
            ("max", count > 0 ? String(max) : ""),
            ("mean", meanText ?? ""),
        ]
    }

    /// The non-empty histogram buckets, ascending: (lowest value of the bucket, its count).
    /// The results' latency buckets (IRQResults LatencyBuckets) are unions of these, so they
    /// are rebuilt from them exactly, in one pass.
    public var recordedBuckets: [(value: UInt64, count: UInt64)] {
        guard let h = stored else { return buckets }
        return h.recordedValues().map { (h.lowestEquivalentForValue($0.value), UInt64($0.count)) }
    }

    /// How many samples are <= `ns` (histogram resolution).
    public func countAtOrBelow(_ ns: UInt64) -> UInt64 {
        guard count > 0 else { return 0 }
        if ns >= max { return count }
        guard let h = stored else {
            // A bucket is at or below `ns`'s exactly when its lowest value is at most `ns`.
            var n: UInt64 = 0
            for (v, c) in buckets where v <= ns { n += c }
            return n
        }
        return h.count(within: 0...ns)
    }
}
