import Foundation
import IRQCore
import IRQReplay
import IRQTrace
import Testing

/// The conformance vectors in Vectors/ (Vectors/README.md): every metric of every strategy,
/// computed by an independent implementation of docs/model.md.
struct VectorTests {
    static let vectorsURL = Bundle.module.resourceURL!.appendingPathComponent("Vectors")

    static var cases: [String] { vectorCases(in: vectorsURL) }

    @Test func everyVectorIsPresent() {
        #expect(Self.cases.count >= 11)
    }

    @Test(arguments: cases)
    func vector(_ name: String) throws {
        let dir = Self.vectorsURL.appendingPathComponent(name)
        let scenario = try loadParams(dir.appendingPathComponent("params.txt"))
        let sourcesPath = dir.appendingPathComponent("sources.json").path
        let sources = FileManager.default.fileExists(atPath: sourcesPath)
            ? try SourceSettings.load(path: sourcesPath) : SourceSettings()
        let expected = try loadExpected(dir.appendingPathComponent("expected.csv"))
        #expect(Set(expected.keys) == Set(EndStrategy.plicStrategies.map(\.rawValue)))

        for strategy in EndStrategy.plicStrategies {
            var trace = try TraceInput.open(path: dir.appendingPathComponent("trace.csv").path)
            let engine = try ReplayEngine(scenario: scenario, sources: sources, strategy: strategy)
            let metrics = try engine.run(&trace)
            expectAgreement(metrics, expected[strategy.rawValue] ?? [:], "\(name) \(strategy.rawValue)")
        }
    }
}

/// The case folders of a vectors folder (everything but its README).
func vectorCases(in url: URL) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
    return names.filter { !$0.hasSuffix(".md") }.sorted()
}

/// Every metric of `want` (and no other) agrees with the replay's rows.
func expectAgreement(_ metrics: ReplayMetrics, _ want: [String: String], _ label: String) {
    let got = Dictionary(uniqueKeysWithValues: metrics.rows.map { ($0.metric, $0.value) })
    #expect(Set(got.keys) == Set(want.keys), "\(label): metric names differ")
    for (metric, value) in want.sorted(by: { $0.key < $1.key }) {
        let actual = got[metric] ?? "<missing>"
        #expect(agrees(metric: metric, expected: value, actual: actual), "\(label) \(metric): expected \(value), got \(actual)")
    }
}

/// Counts and times exactly; percentiles, max and mean within 0.1% (Vectors/README.md).
func agrees(metric: String, expected: String, actual: String) -> Bool {
    if expected == actual { return true }
    let tolerant = ["_p50", "_p99", "_p999", "_max", "_mean"].contains { metric.hasSuffix($0) }
    guard tolerant, let e = Double(expected), let a = Double(actual) else { return false }
    return abs(e - a) <= max(abs(e) * 0.001, 0.0005)
}

func loadParams(_ url: URL) throws -> Scenario {
    var s = Scenario()
    let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    for line in text.split(whereSeparator: \.isNewline) where !line.trimmingCharacters(in: .whitespaces).isEmpty {
        let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        try s.set(parts[0], parts.count > 1 ? parts[1] : "")
    }
    return s
}

/// strategy -> metric -> value
func loadExpected(_ url: URL) throws -> [String: [String: String]] {
    var out: [String: [String: String]] = [:]
    let text = try String(contentsOf: url, encoding: .utf8)
    for line in text.split(whereSeparator: \.isNewline).dropFirst() {
        let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        out[f[0], default: [:]][f[1]] = f.count > 2 ? f[2] : ""
    }
    return out
}

