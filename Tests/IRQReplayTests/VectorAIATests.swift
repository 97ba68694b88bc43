import Foundation
import IRQCore
import IRQReplay
import IRQTrace
import Testing

/// The AIA conformance vectors in VectorsAIA/ (VectorsAIA/README.md): every metric of every
/// strategy the scenario accepts, computed by an independent implementation of docs/model.md
/// Part A, and the strategies it must reject.
struct VectorAIATests {
    static let vectorsURL = Bundle.module.resourceURL!.appendingPathComponent("VectorsAIA")

    static var cases: [String] { vectorCases(in: vectorsURL) }

    @Test func everyVectorIsPresent() {
        #expect(Self.cases.count >= 12)
    }

    static func load(_ name: String) throws -> (dir: URL, scenario: Scenario, sources: SourceSettings) {
        let dir = vectorsURL.appendingPathComponent(name)
        let scenario = try loadParams(dir.appendingPathComponent("params.txt"))
        let sourcesPath = dir.appendingPathComponent("sources.json").path
        let sources = FileManager.default.fileExists(atPath: sourcesPath)
            ? try SourceSettings.load(path: sourcesPath) : SourceSettings()
        return (dir, scenario, sources)
    }

    @Test(arguments: cases)
    func vector(_ name: String) throws {
        let (dir, scenario, sources) = try Self.load(name)
        let expected = try loadExpected(dir.appendingPathComponent("expected.csv"))
        let strategies = EndStrategy.allCases.filter { expected[$0.rawValue] != nil }
        #expect(strategies.count == expected.count, "\(name): unknown strategy in expected.csv")
        #expect(scenario.applicableStrategies(sources: sources) == strategies, "\(name): accepted strategies")
        for strategy in strategies {
            var trace = try TraceInput.open(path: dir.appendingPathComponent("trace.csv").path)
            let engine = try ReplayEngine(scenario: scenario, sources: sources, strategy: strategy)
            let metrics = try engine.run(&trace)
            expectAgreement(metrics, expected[strategy.rawValue] ?? [:], "\(name) \(strategy.rawValue)")
        }
    }

    /// rejected.csv: each strategy the scenario must refuse, and what the error must name (the
    /// setting it would need, or the source in the way).
    @Test(arguments: cases)
    func rejected(_ name: String) throws {
        let (dir, scenario, sources) = try Self.load(name)
        let text = try String(contentsOf: dir.appendingPathComponent("rejected.csv"), encoding: .utf8)
        let lines = text.split(whereSeparator: \.isNewline).dropFirst()
        #expect(!lines.isEmpty)
        var refused: Set<EndStrategy> = []
        for line in lines {
            let f = line.split(separator: ",", maxSplits: 1).map(String.init)
            let strategy = try #require(EndStrategy(rawValue: f[0]), "\(name): unknown strategy \(f[0])")
            refused.insert(strategy)
            do {
                _ = try ReplayEngine(scenario: scenario, sources: sources, strategy: strategy)
                Issue.record("\(name): \(strategy.rawValue) was accepted")
            } catch let e as ScenarioError {
                #expect(e.description.contains(f[1]), "\(name) \(strategy.rawValue): '\(e.description)' does not name \(f[1])")
                #expect(e.description.contains(strategy.rawValue) || strategy == .direct)
            }
        }
        // Every strategy is either replayed by expected.csv or refused here.
        let expected = try loadExpected(dir.appendingPathComponent("expected.csv"))
        let all = Set(EndStrategy.allCases.filter { $0 != .direct })
        #expect(refused.union(expected.keys.compactMap(EndStrategy.init(rawValue:))) == all, "\(name)")
    }
}
