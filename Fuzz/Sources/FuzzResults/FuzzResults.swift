import FuzzSupport
import IRQResults

// The results CSV readers and everything that reads their rows. One input holds up to three files
// separated by NUL bytes: `OLD \0 NEW \0 THRESHOLDS`; without a second part, OLD is compared with
// itself. Each part is read as `compare`, `plot` and `merge` read files:
// - ResultsCSV.parse on the text (when it is UTF-8), ResultsCSV.load on the file (compare, plot)
//   and ResultsFileReader streaming it (merge, crossover): all three must give the same rows, or
//   all refuse the file;
// - the rate series CSV (`plot rate`) and the thresholds CSV (`compare --thresholds`);
// - the rows through compare (every output format, bar plot), the run summary, the latency CDF
//   plot scripts, and crossover (report, renderings, plots, win map) when OLD has a swept parameter.
private let scratch = ScratchFile("results.csv")

private func clean(_ body: () throws -> Void) {
    do { try body() } catch let e as ResultsFormatError {
        precondition(!e.reason.isEmpty && !e.description.utf8.contains(0x0A), "unclear error: \(e)")
    } catch let e as CrossoverError {
        precondition(!e.description.isEmpty && !e.description.utf8.contains(0x0A), "unclear error: \(e)")
    } catch {
        preconditionFailure("not a clean error: \(type(of: error)): \(error)")
    }
}

/// The rows of one file, from the whole-text parser and from the streaming reader, which must agree.
private func read(_ bytes: UnsafeRawBufferPointer, file: String) -> [ResultRow]? {
    scratch.write(bytes)
    var streamed: Result<[ResultRow], ResultsFormatError>
    do {
        let reader = try ResultsFileReader(path: scratch.path)
        var rows: [ResultRow] = []
        while let r = try reader.nextRow() { rows.append(r) }
        streamed = .success(rows)
    } catch let e as ResultsFormatError {
        streamed = .failure(e)
    } catch {
        preconditionFailure("ResultsFileReader: not a clean error: \(type(of: error)): \(error)")
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
        if case .success = streamed { preconditionFailure("ResultsFileReader read a file that is not UTF-8") }
        return nil
    }
    var parsed: [ResultRow]?
    clean { parsed = try ResultsCSV.parse(text, file: file) }
    switch streamed {
    case .success(let rows): precondition(parsed == rows, "ResultsFileReader and ResultsCSV.parse give different rows")
    case .failure: precondition(parsed == nil, "ResultsFileReader refuses a file ResultsCSV.parse reads")
    }
    // What compare and plot call: the file read whole through Foundation, then parsed.
    var loaded: [ResultRow]?
    clean { loaded = try ResultsCSV.load(path: scratch.path) }
    precondition(loaded == parsed, "ResultsCSV.load and ResultsCSV.parse disagree")
    clean {
        let series = try RateSeriesCSV.parse(text, file: "rates.csv")
        _ = Plots.rateScript(title: "rate", series: series, logY: bytes.count & 1 == 1)
        for s in series { _ = s.peakWindow() }
    }
    return parsed
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzResults(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let all = UnsafeRawBufferPointer(start: data, count: size)
    let parts = all.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
        .map { UnsafeRawBufferPointer(rebasing: $0) }

    var sides: [[ResultRow]] = []
    for (i, part) in parts.prefix(2).enumerated() {
        if let rows = read(part, file: i == 0 ? "old.csv" : "new.csv") { sides.append(rows) }
    }
    var thresholds = Thresholds()
    if parts.count == 3, let t = String(validating: parts[2], as: UTF8.self) {
        clean { thresholds = try Thresholds.parse(t, file: "thresholds.csv") }
    }
    guard let old = sides.first else { return 0 }
    let new = sides.count > 1 ? sides[1] : old

    _ = RunSummary.lines(rows: old)
    for (group, rows) in Plots.histogramGroups(old) {
        let curve = Plots.curve(label: group.trace, name: group.name, rows: rows)
        _ = Plots.latencyCDFScript(title: group.name, curves: [curve], tail: size & 1 == 1)
    }
    let report = compareResults(old: old, new: new, options: CompareOptions(thresholds: thresholds))
    if sides.count == 1 { precondition(report.regressions.isEmpty, "a file compared with itself regresses") }
    for format in CompareFormat.allCases { _ = CompareRendering(onlyChanges: size & 2 == 2).render(report, format: format) }
    _ = Plots.comparisonBarsScript(title: "bars", report: report)

    // Crossover over the first swept parameter of the first row's metric (and a win map over two).
    let swept = Crossover.sweptParameters(old)
    if let metric = old.first?.metric, let over = swept.first {
        clean {
            let r = try Crossover.analyse(rows: old, metric: metric, over: over, baseline: old.first?.strategy)
            for format in CompareFormat.allCases { _ = CrossoverRendering.render([r], format: format) }
            for s in r.slices { _ = Plots.crossoverScript(report: r, slice: s) }
        }
        if swept.count > 1 {
            clean {
                for m in try Crossover.winMaps(rows: old, metric: metric, x: swept[0], y: swept[1]) { _ = Plots.winMapScript(m) }
            }
        }
    }
    return 0
}
