import Foundation

/// Physical IRQs per time bucket of one strategy's replay: counts[k] is the number of physical irqs
/// whose claim effect lies in [k * bucketNs, (k + 1) * bucketNs) (docs/model.md §9's buckets for
/// peak_irqs_per_ms when bucketNs is 1,000,000).
public struct RateSeries: Equatable, Sendable {
    public var strategy: String
    public var bucketNs: UInt64
    public var counts: [UInt32]

    public init(strategy: String, bucketNs: UInt64, counts: [UInt32]) {
        self.strategy = strategy
        self.bucketNs = bucketNs
        self.counts = counts
    }

    /// The busiest stretch: the peak bucket widened to the contiguous run of buckets holding at
    /// least `fraction` of the peak count. nil when there are no irqs at all.
    public func peakWindow(fraction: Double = 0.5) -> (startNs: UInt64, endNs: UInt64, peak: UInt32)? {
        guard let peak = counts.max(), peak > 0, let at = counts.firstIndex(of: peak) else { return nil }
        let floor = Double(peak) * fraction
        var lo = at, hi = at
        while lo > 0 && Double(counts[lo - 1]) >= floor { lo -= 1 }
        while hi + 1 < counts.count && Double(counts[hi + 1]) >= floor { hi += 1 }
        return (UInt64(lo) * bucketNs, UInt64(hi + 1) * bucketNs, peak)
    }
}

/// A file format for rate series, so a replay can save them and `irqbench plot rate` can draw them
/// later: CSV `strategy,bucket_ns,bucket,count`, one line per bucket (zero buckets may be left out).
public enum RateSeriesCSV {
    public static let header = "strategy,bucket_ns,bucket,count"

    public static func render(_ series: [RateSeries]) -> String {
        var out = header + "\n"
        for s in series {
            for (i, c) in s.counts.enumerated() where c != 0 || i == s.counts.count - 1 {
                out += "\(CSVText.field(s.strategy)),\(s.bucketNs),\(i),\(c)\n"
            }
        }
        return out
    }

    /// The most buckets a file may hold over all its strategies (40 MB of counts), so a damaged
    /// bucket index cannot make the reader allocate without bound.
    public static let maxBuckets = 10_000_000

    public static func parse(_ text: String, file: String) throws -> [RateSeries] {
        var buckets = 0
        var order: [String] = []
        var bucketNs: [String: UInt64] = [:]
        var counts: [String: [UInt32]] = [:]
        var sawHeader = false
        for (n, line) in CSVText.numberedLines(text) {
            if line.isEmpty || line.hasPrefix("#") { continue }
            if !sawHeader {
                guard CSVText.fields(line) == header.split(separator: ",").map(String.init) else {
                    throw ResultsFormatError(file: file, line: n, reason: "not an irqbench rate series file (expected header '\(header)')")
                }
                sawHeader = true
                continue
            }
            guard let f = CSVText.fields(line), f.count == 4, let b = UInt64(f[1]), b > 0,
                  let i = Int(f[2]), i >= 0, let c = UInt32(f[3]) else {
                throw ResultsFormatError(file: file, line: n, reason: "expected 'strategy,bucket_ns (> 0),bucket,count'")
            }
            let s = f[0]
            if bucketNs[s] == nil { order.append(s); bucketNs[s] = b }
            guard bucketNs[s] == b else {
                throw ResultsFormatError(file: file, line: n, reason: "strategy \(s) changes its bucket_ns")
            }
            let have = counts[s]?.count ?? 0
            if have <= i {
                guard i < maxBuckets - buckets else {
                    throw ResultsFormatError(file: file, line: n,
                        reason: "bucket \(i) takes the file past \(maxBuckets) buckets in all (irqbench writes at most 65536 a strategy)")
                }
                buckets += i + 1 - have
                // In place: a copy per line would make a long series quadratic.
                counts[s, default: []].append(contentsOf: [UInt32](repeating: 0, count: i + 1 - have))
            }
            let (sum, overflow) = counts[s]![i].addingReportingOverflow(c)
            guard !overflow else {
                throw ResultsFormatError(file: file, line: n, reason: "the counts of bucket \(i) of \(s) add up to more than \(UInt32.max)")
            }
            counts[s]![i] = sum
        }
        guard sawHeader else { throw ResultsFormatError(file: file, line: 1, reason: "empty file: no header") }
        return order.map { RateSeries(strategy: $0, bucketNs: bucketNs[$0]!, counts: counts[$0]!) }
    }

    /// Reads and parses the rate series file at `path` (errors name `path`).
    public static func load(path: String) throws -> [RateSeries] {
        try parse(try ResultsCSV.text(of: path), file: path)
    }
}
