import IRQResults

// The results CSV parser and everything that reads its rows (compare in every output format, the
// run summary, latency histograms, CDF and bar plot scripts), the rate series CSV (`plot rate`) and
// the thresholds CSV (`compare --thresholds`). One input holds up to three files separated by NUL
// bytes: `OLD \0 NEW \0 THRESHOLDS`; without a second part, OLD is compared with itself. Each part
// is read only when it is valid UTF-8, as `compare` and `plot` read files.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzResults(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let parts = bytes.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
    let texts = parts.map { String(validating: UnsafeBufferPointer(rebasing: $0), as: UTF8.self) }

    func clean(_ body: () throws -> Void) {
        do { try body() } catch let e as ResultsFormatError {
            precondition(!e.reason.isEmpty && !e.description.utf8.contains(0x0A), "unclear error: \(e)")
        } catch {
            preconditionFailure("not a clean error: \(type(of: error)): \(error)")
        }
    }

    var sides: [[ResultRow]] = []
    for (i, text) in texts.prefix(2).enumerated() {
        guard let text else { continue }
        clean { sides.append(try ResultsCSV.parse(text, file: i == 0 ? "old.csv" : "new.csv")) }
        clean {
            let series = try RateSeriesCSV.parse(text, file: "rates.csv")
            _ = Plots.rateScript(title: "rate", series: series, logY: i == 1)
            for s in series { _ = s.peakWindow() }
        }
    }
    var thresholds = Thresholds()
    if texts.count == 3, let t = texts[2] { clean { thresholds = try Thresholds.parse(t, file: "thresholds.csv") } }
    guard let old = sides.first else { return 0 }
    let new = sides.count > 1 ? sides[1] : old

    _ = RunSummary.lines(rows: old)
    for (name, d) in LatencyBuckets.distributions(in: old) {
        _ = d.cdf
        _ = d.quantileBound(0.99)
        _ = Plots.latencyCDFScript(title: name, curves: [.init(label: name, distribution: d)], tail: size & 1 == 1)
    }
    let report = compareResults(old: old, new: new, options: CompareOptions(thresholds: thresholds))
    if sides.count == 1 { precondition(report.regressions.isEmpty, "a file compared with itself regresses") }
    for format in CompareFormat.allCases { _ = CompareRendering(onlyChanges: size & 2 == 2).render(report, format: format) }
    _ = Plots.comparisonBarsScript(title: "bars", report: report)
    return 0
}
