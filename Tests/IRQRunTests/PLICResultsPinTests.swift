import Foundation
import IRQCore
import IRQReplay
import IRQResults
import IRQRun
import IRQTrace
import Testing

/// Controller families added after the PLIC must leave its results alone: the results of a shipped
/// trace under every PLIC strategy (default parameters; traces/bursty.pcap, the one whose replays
/// cost least in a debug build) are pinned, byte for byte, to the digest of the file
/// `irqbench run --trace traces/bursty.pcap` wrote before the AIA was added (commit bd37ae8, with
/// the commit column "unknown"). The whole main job gave identical files too (checked once by
/// hand, too slow for a unit test in debug). A change of the PLIC's numbers must change this
/// digest on purpose.
struct PLICResultsPinTests {
    static let tracesDir = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("traces").path
    static let digest = "6e0566d1f2bd4aa3449522fad51a49eb3057544e93a105d83d4ec717e3df23e4"

    @Test func plicResultsAreUnchanged() throws {
        var config = SweepConfig()
        config.commit = "unknown"
        config.strategies = EndStrategy.plicStrategies
        config.jobs = 2
        let result = Sweep.run(traces: [Self.tracesDir + "/bursty.pcap"], config: config)
        #expect(result.failures.isEmpty)
        let csv = ResultsCSV.render(result.resultRows(config: config))
        #expect(try FileDigest.sha256Hex(text: csv) == Self.digest)
        #expect(!csv.contains("msis_sent"), "no AIA rows on the PLIC")
    }
}
