import Foundation
import IRQCore
import IRQReplay
import IRQResults
@testable import IRQRun
import IRQTrace
import Testing

/// A sweep's replay reads a native trace while its first pass runs beside it
/// (`TraceInput.reading`): its results rows, report included, must be those of a replay of
/// `TraceInput.open(path:)`, for a sorted file and for one that must be sorted.
struct FirstPassOverlapSweepTests {
    /// The replay as it was before the overlap: open (both passes), then replay.
    static func replayOfOpen(path: String, strategy: EndStrategy, config: SweepConfig) throws -> ReplayOutcome {
        let input = try TraceInput.open(path: path, options: config.traceOptions)
        let engine = try ReplayEngine(scenario: config.scenario, sources: config.sources, strategy: strategy,
                                      options: ReplayOptions(rateBucketNs: config.rateBucketNs))
        var stream = input
        let metrics = try engine.run(&stream)
        return ReplayOutcome(tracePath: path, traceName: URL(fileURLWithPath: path).lastPathComponent,
                             controller: config.scenario.controllerLabel, strategy: strategy, report: input.report,
                             metrics: metrics, rateSeries: engine.rateSeries, rateBucketNs: engine.rateBucketNs,
                             unconsumedRequests: engine.unconsumedRequests, harts: Int(config.scenario.harts))
    }

    static func csv(_ o: ReplayOutcome) -> String {
        ResultsCSV.render(o.resultRows(commit: "overlap", params: "")) + o.rateSeries.map(String.init).joined(separator: ",")
    }

    @Test func resultsAreThoseOfAReplayOfOpenSortedOrNot() throws {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("irqbench-overlap-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sorted = try BenchTraces.Shape.nicNC.write(records: 3_000, seed: 3, directory: dir)
        // The same records with two of them swapped: sorted into place by the reader.
        var events: [TraceEvent] = []
        let all = try TraceInput.open(path: sorted)
        while let e = try all.next() { events.append(e) }
        events.swapAt(2_000, 2_500)
        let unsorted = (dir as NSString).appendingPathComponent("unsorted.pcap")
        var stream = ArrayTraceStream(events)
        _ = try writeTrace(&stream, format: .native, path: unsorted)

        var config = SweepConfig()
        config.progress = nil
        for path in [sorted, unsorted] {
            for strategy in EndStrategy.plicStrategies {
                let before = Self.csv(try Self.replayOfOpen(path: path, strategy: strategy, config: config))
                config.firstPasses = nil
                #expect(Self.csv(try Sweep.replay(path: path, strategy: strategy, config: config)) == before)
                config.firstPasses = FirstPassCache()
                #expect(Self.csv(try Sweep.replay(path: path, strategy: strategy, config: config)) == before)
                // Again with the first pass the cache kept (the file is read once).
                #expect(Self.csv(try Sweep.replay(path: path, strategy: strategy, config: config)) == before)
            }
        }
        #expect(try TraceInput.open(path: unsorted).report.reorderedRecords > 0)
    }
}
