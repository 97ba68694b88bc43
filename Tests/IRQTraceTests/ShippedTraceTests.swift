import Foundation
import Testing
@testable import IRQTrace

/// The traces in traces/ are generated (traces/README.md gives the commands): regenerating them
/// must give the shipped bytes, on every platform.
@Suite struct ShippedTraceTests {
    static let tracesDir = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("traces").path

    /// The `irqbench generate` flags of traces/README.md, as library options.
    static let shipped: [(String, SyntheticTraceOptions)] = [
        ("nic-poisson.pcap", SyntheticTraceOptions(pattern: .poisson(ratePerSecond: 50_000),
                                                   durationNs: 100_000_000, seed: 1)),
        ("periodic-1khz.pcap", SyntheticTraceOptions(pattern: .periodic(periodNs: 1_000_000),
                                                     durationNs: 1_000_000_000)),
        ("bursty.pcap", SyntheticTraceOptions(pattern: .bursty(ratePerSecond: 200_000, onNs: 1_000_000, offNs: 4_000_000),
                                              count: 1...4, durationNs: 100_000_000, seed: 3)),
        ("two-sources.pcap", SyntheticTraceOptions(pattern: .poisson(ratePerSecond: 20_000), sources: [1, 2],
                                                   durationNs: 100_000_000, seed: 2)),
    ]

    @Test(arguments: shipped.map(\.0))
    func regeneratingGivesTheShippedBytes(name: String) throws {
        let options = Self.shipped.first { $0.0 == name }!.1
        let dir = try TempDir()
        var trace = try SyntheticTrace(options)
        try writeTrace(&trace, format: .native, path: dir.file(name))
        let shipped = try Data(contentsOf: URL(fileURLWithPath: Self.tracesDir + "/" + name))
        #expect(try dir.read(name) == [UInt8](shipped), "regenerate traces/\(name) (see traces/README.md)")
        #expect(shipped.count < 200_000)
    }

    @Test func shippedTracesReplayAsDocumented() throws {
        let nic = try TraceInput.open(path: Self.tracesDir + "/nic-poisson.pcap")
        #expect(nic.report.format == .native)
        #expect(nic.report.recordCount == 5071)
        #expect(nic.report.reorderedRecords == 0)
        var sources = Set<UInt16>()
        var kinds = Set<RequestKind>()
        for name in Self.shipped.map(\.0) {
            let input = try TraceInput.open(path: Self.tracesDir + "/" + name)
            while let e = try input.next() {
                sources.insert(e.source)
                kinds.insert(e.kind)
            }
        }
        #expect(sources == [1, 2])
        #expect(kinds == [.level])
    }
}
