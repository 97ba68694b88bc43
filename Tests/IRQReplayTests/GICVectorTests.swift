import Foundation
import IRQCore
import IRQReplay
import IRQTrace
import Testing

/// The GIC conformance vectors in VectorsGIC/ (VectorsGIC/README.md): every metric of every
/// accepted strategy, the guest's service starts, and the strategies that must be refused,
/// computed by an independent implementation of docs/model.md Part G.
struct GICVectorTests {
    static let vectorsURL = Bundle.module.resourceURL!.appendingPathComponent("VectorsGIC")

    static var cases: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: vectorsURL.path)) ?? []
        return names.filter { !$0.hasSuffix(".md") }.sorted()
    }

    @Test func everyVectorIsPresent() {
        #expect(Self.cases.count == 16)
    }

    @Test(arguments: cases)
    func vector(_ name: String) throws {
        let dir = Self.vectorsURL.appendingPathComponent(name)
        let scenario = try loadParams(dir.appendingPathComponent("params.txt"))
        #expect(scenario.irqchip == .gicv2)
        let sourcesPath = dir.appendingPathComponent("sources.json").path
        let sources = FileManager.default.fileExists(atPath: sourcesPath)
            ? try SourceSettings.load(path: sourcesPath) : SourceSettings()
        let expected = try loadExpected(dir.appendingPathComponent("expected.csv"))
        let starts = try loadServiceStarts(dir.appendingPathComponent("service_starts.csv"))
        let rejected = try loadExpected(dir.appendingPathComponent("rejected.csv")).keys
        #expect(Set(expected.keys).union(rejected) == Set(EndStrategy.allCases.map(\.rawValue)))

        for strategy in EndStrategy.allCases {
            let tracePath = dir.appendingPathComponent("trace.csv").path
            if rejected.contains(strategy.rawValue) {
                #expect(throws: (any Error).self, "\(name) \(strategy.rawValue) must be refused") {
                    var trace = try TraceInput.open(path: tracePath)
                    _ = try ReplayEngine(scenario: scenario, sources: sources, strategy: strategy).run(&trace)
                }
                continue
            }
            var trace = try TraceInput.open(path: tracePath)
            let engine = try ReplayEngine(scenario: scenario, sources: sources, strategy: strategy)
            let timeline = TimelineRows()
            let metrics = try engine.run(&trace, timeline: timeline)
            let want = expected[strategy.rawValue] ?? [:]
            let got = Dictionary(uniqueKeysWithValues: metrics.rows.map { ($0.metric, $0.value) })
            #expect(Set(got.keys) == Set(want.keys), "\(name) \(strategy.rawValue): metric names differ")
            for (metric, value) in want.sorted(by: { $0.key < $1.key }) {
                let actual = got[metric] ?? "<missing>"
                #expect(agrees(metric: metric, expected: value, actual: actual),
                        "\(name) \(strategy.rawValue) \(metric): expected \(value), got \(actual)")
            }
            let gotStarts = timeline.serviceStarts.map { "\($0.time),\($0.source),\($0.units)" }
            #expect(gotStarts == starts[strategy.rawValue] ?? [], "\(name) \(strategy.rawValue): service starts differ")
        }
    }
}

/// strategy -> ["time,source,n", ...] in file order.
func loadServiceStarts(_ url: URL) throws -> [String: [String]] {
    var out: [String: [String]] = [:]
    let text = try String(contentsOf: url, encoding: .utf8)
    for line in text.split(whereSeparator: \.isNewline).dropFirst() {
        let f = line.split(separator: ",", maxSplits: 1).map(String.init)
        out[f[0], default: []].append(f[1])
    }
    return out
}
