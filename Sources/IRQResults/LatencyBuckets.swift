import Foundation

/// Latency distributions as results rows: `<name>_hist_le_<bound>` with the number of samples in
/// (previous bound, bound] nanoseconds, and `<name>_hist_le_inf` for the samples above the last bound.
///
/// Counts are per bucket, not cumulative, so rows of several runs (or repetitions) add up bucket by
/// bucket into the distribution of all of them. The bounds are fixed (a 1-2-5 series from 10 ns to
/// 100 s) so that every run, commit and strategy shares them. Empty buckets are left out of the rows:
/// a missing bucket reads as 0.
public enum LatencyBuckets {
    /// 10, 20, 50, 100, ..., 50 s, 100 s in nanoseconds: 31 bounds.
    public static let upperBounds: [UInt64] = {
        var bounds: [UInt64] = []
        var decade: UInt64 = 10
        while decade < 100_000_000_000 {
            bounds += [decade, decade * 2, decade * 5]
            decade *= 10
        }
        bounds.append(100_000_000_000)
        return bounds
    }()

    /// Buckets including the overflow bucket (index `upperBounds.count`).
    public static var bucketCount: Int { upperBounds.count + 1 }

    public static let infix = "_hist_le_"

    public static func metricName(_ name: String, bucket: Int) -> String {
        name + infix + (bucket < upperBounds.count ? String(upperBounds[bucket]) : "inf")
    }

    /// Bucket counts of one distribution. `countAtOrBelow(ns)` returns how many samples are <= ns;
    /// it is called with every bound and with UInt64.max (the total), e.g. through an HdrHistogram.
    public static func counts(countAtOrBelow: (UInt64) -> UInt64) -> LatencyDistribution {
        var d = LatencyDistribution()
        var below: UInt64 = 0
        for (i, b) in upperBounds.enumerated() {
            // max() keeps a histogram that rounds values to its own buckets from going negative.
            let atOrBelow = max(countAtOrBelow(b), below)
            d.counts[i] = atOrBelow - below
            below = atOrBelow
        }
        d.counts[upperBounds.count] = max(countAtOrBelow(UInt64.max), below) - below
        return d
    }

    /// The (metric, count) pairs of the non-empty buckets, in bound order.
    public static func rows(name: String, countAtOrBelow: (UInt64) -> UInt64) -> [(metric: String, count: UInt64)] {
        rows(name: name, distribution: counts(countAtOrBelow: countAtOrBelow))
    }

    public static func rows(name: String, distribution d: LatencyDistribution) -> [(metric: String, count: UInt64)] {
        d.counts.enumerated().compactMap { i, c in c == 0 ? nil : (metricName(name, bucket: i), c) }
    }

    /// Results rows for one distribution, copying provenance, strategy, kind and rep from `template`.
    public static func resultRows(name: String, template: ResultRow,
                                  countAtOrBelow: (UInt64) -> UInt64) -> [ResultRow] {
        rows(name: name, countAtOrBelow: countAtOrBelow).map { m, c in
            var r = template
            r.metric = m
            r.value = String(c)
            return r
        }
    }

    /// (distribution name, bucket index) of a histogram metric name, nil for any other metric.
    public static func split(_ metric: String) -> (name: String, bucket: Int)? {
        guard let r = metric.range(of: infix, options: .backwards) else { return nil }
        let name = String(metric[..<r.lowerBound]), bound = metric[r.upperBound...]
        if bound == "inf" { return (name, upperBounds.count) }
        guard let b = UInt64(bound), let i = boundIndex[b] else { return nil }
        return (name, i)
    }

    private static let boundIndex: [UInt64: Int] =
        Dictionary(uniqueKeysWithValues: upperBounds.enumerated().map { ($1, $0) })

    /// Every distribution found in `rows`, keyed by name. Rows with the same metric are summed:
    /// filter first (one trace, strategy and kind) unless a sum over several is what you want.
    public static func distributions(in rows: [ResultRow]) -> [String: LatencyDistribution] {
        var out: [String: LatencyDistribution] = [:]
        for r in rows {
            guard let (name, i) = split(r.metric), let c = UInt64(r.value) else { continue }
            out[name, default: LatencyDistribution()].counts[i] += c
        }
        return out
    }
}

/// Sample counts per bucket of `LatencyBuckets`.
public struct LatencyDistribution: Equatable, Sendable {
    public var counts: [UInt64]

    public init() { counts = [UInt64](repeating: 0, count: LatencyBuckets.bucketCount) }

    public var total: UInt64 { counts.reduce(0, +) }

    public static func + (a: LatencyDistribution, b: LatencyDistribution) -> LatencyDistribution {
        var s = a
        for i in s.counts.indices { s.counts[i] += b.counts[i] }
        return s
    }

    /// Cumulative fraction of samples at or below each bound; the overflow bucket has bound nil.
    public var cdf: [(upperBound: UInt64?, fraction: Double)] {
        let t = Double(total)
        guard t > 0 else { return [] }
        var running: UInt64 = 0
        return counts.enumerated().map { i, c in
            running += c
            return (i < LatencyBuckets.upperBounds.count ? LatencyBuckets.upperBounds[i] : nil, Double(running) / t)
        }
    }

    /// Upper bound of the bucket holding the nearest-rank p-quantile (0 < p <= 1): the value is at
    /// most this. nil when empty or when the sample lies in the overflow bucket.
    public func quantileBound(_ p: Double) -> UInt64? {
        let t = total
        guard t > 0 else { return nil }
        let rank = max(1, UInt64((p * Double(t)).rounded(.up)))
        var running: UInt64 = 0
        for (i, c) in counts.enumerated() {
            running += c
            if running >= rank { return i < LatencyBuckets.upperBounds.count ? LatencyBuckets.upperBounds[i] : nil }
        }
        return nil
    }

    /// Kolmogorov-Smirnov distance between the two bucketed CDFs.
    public func maxCDFDistance(to other: LatencyDistribution) -> Double {
        let a = Double(total), b = Double(other.total)
        guard a > 0, b > 0 else { return a == b ? 0 : 1 }
        var ra: UInt64 = 0, rb: UInt64 = 0, d = 0.0
        for i in counts.indices {
            ra += counts[i]; rb += other.counts[i]
            d = max(d, abs(Double(ra) / a - Double(rb) / b))
        }
        return d
    }
}
