import Foundation
import Testing
@testable import IRQTrace

/// A native trace opened again with an earlier open's first pass reads the same records with the
/// same report, and only while the file is the one that first pass read.
struct FirstPassReuseTests {
    @Test func reusedFirstPassGivesTheSameRecordsAndReport() throws {
        let dir = try TempDir()
        let events = try NativeBlockReaderTests.events(BenchTraces.Shape.mix.options(records: 20_000, seed: 9))
        try writeNative(events, to: dir.file("t.pcap"))
        let options = TraceOptions(maxGapNs: 30_000)
        let first = try TraceInput.open(path: dir.file("t.pcap"), options: options)
        let pass = try #require(first.firstPass)
        let again = try TraceInput.open(path: dir.file("t.pcap"), options: options, reusing: pass)
        #expect(again.report == first.report)
        #expect(again.firstPass?.identity == pass.identity)
        #expect(try readAll(again) == readAll(first))
    }

    /// Another file, other options, or the file changed since: a first pass of its own.
    @Test func aChangedFileOrOtherOptionsAreReadAgain() throws {
        let dir = try TempDir()
        var events = try NativeBlockReaderTests.events(BenchTraces.Shape.nicNC.options(records: 3_000, seed: 5))
        try writeNative(events, to: dir.file("t.pcap"))
        try writeNative(Array(events.prefix(10)), to: dir.file("other.pcap"))
        let pass = try #require(try TraceInput.open(path: dir.file("t.pcap")).firstPass)

        let other = try TraceInput.open(path: dir.file("other.pcap"), reusing: pass)
        #expect(other.report.recordCount == 10)

        let gaps = TraceOptions(maxGapNs: 1_000)
        let compressed = try TraceInput.open(path: dir.file("t.pcap"), options: gaps, reusing: pass)
        let fresh = try TraceInput.open(path: dir.file("t.pcap"), options: gaps)
        #expect(compressed.report == fresh.report)
        #expect(compressed.report.compressedGaps > 0)

        // Rewritten with one record more: the earlier pass's count would be wrong.
        events.append(TraceEvent(time: events.last!.time + 5, source: 1, kind: .level, count: 1))
        try writeNative(events, to: dir.file("t.pcap"))
        let rewritten = try TraceInput.open(path: dir.file("t.pcap"), reusing: pass)
        #expect(rewritten.report.recordCount == 3_001)
        #expect(rewritten.report.sha256 != pass.report.sha256)
        #expect(try readAll(rewritten).count == 3_001)
    }

    /// Unsorted files are loaded and sorted at every open; nothing to reuse.
    @Test func unsortedFilesHaveNoFirstPassToReuse() throws {
        let dir = try TempDir()
        var events = try NativeBlockReaderTests.events(BenchTraces.Shape.nicNC.options(records: 500, seed: 1))
        events.swapAt(1, 300)
        try writeNative(events, to: dir.file("u.pcap"))
        #expect(try TraceInput.open(path: dir.file("u.pcap")).firstPass == nil)
    }
}
