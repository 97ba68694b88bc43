import IRQReplay
/// A latency histogram printed like cyclictest's `-h`: one line per microsecond bucket that has
/// samples ("<us> <count>"), the overflow count, then min / avg / max in microseconds.
public enum LatencyHistogramText {
    public static func render(name: String, _ d: Distribution, maxMicros: UInt64 = 100) -> [String] {
        var lines = ["# Histogram: \(name) (us, count)"]
        guard d.count > 0 else { return lines + ["# no samples"] }
        var below: UInt64 = 0
        for us in 0..<maxMicros {
            let upTo = d.countAtOrBelow(us * 1000 + 999)
            let c = upTo - min(upTo, below)
            below = max(below, upTo)
            if c > 0 { lines.append(String(format6(us)) + " " + format6(c)) }
        }
        lines.append("# Histogram Overflows: \(format6(d.count - min(d.count, below))) (> \(maxMicros) us)")
        lines.append("# Min Latencies: \(format6(d.min / 1000))")
        lines.append("# Avg Latencies: \(format6(UInt64((d.mean ?? 0) / 1000)))")
        lines.append("# Max Latencies: \(format6(d.max / 1000))")
        return lines
    }

    static func format6(_ v: UInt64) -> String {
        let s = String(v)
        return s.count >= 6 ? s : String(repeating: "0", count: 6 - s.count) + s
    }
}
