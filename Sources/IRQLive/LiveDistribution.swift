import Histogram

/// A latency distribution recorded by one thread and merged with the others' at the end (a shared
/// histogram would make the measuring threads contend). Reported exactly as the simulated run's
/// `Distribution`: HdrHistogram with 3 significant digits, nearest-rank percentiles, exact
/// count, max and mean.
public struct LiveDistribution: Sendable {
    public private(set) var histogram = Histogram<UInt64>(
        lowestDiscernibleValue: 1, highestTrackableValue: 1 << 62, numberOfSignificantValueDigits: .three)
    public private(set) var count: UInt64 = 0
    public private(set) var sum: UInt128 = 0
    public private(set) var min: UInt64 = .max
    public private(set) var max: UInt64 = 0

    public init() {}

    @inline(__always)
    public mutating func record(_ v: UInt64) {
        count &+= 1
        sum &+= UInt128(v)
        if v < min { min = v }
        if v > max { max = v }
        _ = histogram.record(Swift.min(Swift.max(v, 1), 1 << 62))
    }

    public mutating func merge(_ o: LiveDistribution) {
        guard o.count > 0 else { return }
        histogram.add(o.histogram)
        count += o.count
        sum += o.sum
        min = Swift.min(min, o.min)
        max = Swift.max(max, o.max)
    }

    /// Nearest rank ceil(p x N), at least 1, p in parts per million (as `Distribution`).
    public func percentile(ppm: UInt64) -> UInt64? {
        guard count > 0 else { return nil }
        let rank = Swift.max(1, (UInt128(ppm) * UInt128(count) + 999_999) / 1_000_000)
        var seen: UInt128 = 0
        for v in histogram.recordedValues() {
            seen += UInt128(v.count)
            if seen >= rank { return Swift.min(Swift.max(histogram.lowestEquivalentForValue(v.value), min), max) }
        }
        return max
    }

    public var mean: Double? { count > 0 ? Double(sum) / Double(count) : nil }

    /// `_p50`, `_p99`, `_p999`, `_max`, `_mean` values; empty when there are no samples.
    public var summary: [(suffix: String, value: String)] {
        func t(_ v: UInt64?) -> String { v.map(String.init) ?? "" }
        let meanText: String
        if count > 0 {
            let scaled = (sum * 2000 + UInt128(count)) / (UInt128(count) * 2)
            let f = String(scaled % 1000)
            meanText = "\(scaled / 1000).\(String(repeating: "0", count: 3 - f.count))\(f)"
        } else { meanText = "" }
        return [("p50", t(percentile(ppm: 500_000))), ("p99", t(percentile(ppm: 990_000))),
                ("p999", t(percentile(ppm: 999_000))), ("max", count > 0 ? String(max) : ""), ("mean", meanText)]
    }

    public func countAtOrBelow(_ ns: UInt64) -> UInt64 {
        guard count > 0 else { return 0 }
        if ns >= max { return count }
        return histogram.count(within: 0...ns)
    }
}
