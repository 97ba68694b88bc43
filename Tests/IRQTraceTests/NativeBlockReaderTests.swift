import Foundation
import Testing
@testable import IRQTrace

/// `TraceInput.open` reads native traces in blocks (NativeBlockReader) and falls back to libpcap
/// for anything unusual: both roads must give the same records, the same report and, for a bad
/// file, the same error.
struct NativeBlockReaderTests {
    /// The libpcap road: NativeTraceReader for both passes, the digest read on its own.
    static func throughLibpcap(_ path: String, _ options: TraceOptions = .init()) throws -> TraceInput {
        try TraceInput(name: path, format: .native, options: options, sha256: try FileDigest.sha256Hex(path: path)) {
            try NativeTraceReader(path: path)
        }
    }

    static func same(_ path: String, _ options: TraceOptions = .init()) throws {
        let fast = try TraceInput.open(path: path, options: options)
        let slow = try Self.throughLibpcap(path, options)
        #expect(fast.report == slow.report)
        #expect(try readAll(fast) == readAll(slow))
    }

    static func events(_ o: SyntheticTraceOptions) throws -> [TraceEvent] {
        var t = try SyntheticTrace(o)
        var out: [TraceEvent] = []
        while let e = t.next() { out.append(e) }
        return out
    }

    @Test func sortedTracesReadAlikeWithAndWithoutGapCompression() throws {
        let dir = try TempDir()
        // Large enough to span several read blocks; times from a late origin.
        var events = try Self.events(BenchTraces.Shape.mix.options(records: 30_000, seed: 4))
        for i in events.indices { events[i].time += 3_000_000_000_000 }
        try writeNative(events, to: dir.file("a.pcap"))
        try Self.same(dir.file("a.pcap"))
        try Self.same(dir.file("a.pcap"), TraceOptions(maxGapNs: 20_000))
        #expect(try TraceInput.open(path: dir.file("a.pcap")).report.recordCount == 30_000)
    }

    @Test func unsortedTracesAreSortedAlike() throws {
        let dir = try TempDir()
        var events = try Self.events(BenchTraces.Shape.nicNC.options(records: 5_000, seed: 2))
        events.swapAt(10, 4_000)
        events.swapAt(3, 3)
        events.append(level(1))
        try writeNative(events, to: dir.file("u.pcap"))
        try Self.same(dir.file("u.pcap"))
        #expect(try TraceInput.open(path: dir.file("u.pcap")).report.reorderedRecords > 0)
    }

    @Test func emptyTracesReadAlike() throws {
        let dir = try TempDir()
        try writeNative([], to: dir.file("e.pcap"))
        try Self.same(dir.file("e.pcap"))
    }

    /// A file cut inside its last record, a record with a bad payload, and the other byte order:
    /// libpcap reads them, with its own words for what is wrong.
    @Test func unusualFilesGoThroughLibpcap() throws {
        let dir = try TempDir()
        try writeNative((0..<100).map { level(UInt64($0) * 1000) }, to: dir.file("t.pcap"))
        let whole = try dir.read("t.pcap")
        try dir.write("cut.pcap", bytes: Array(whole.dropLast(5)))
        try Self.same(dir.file("cut.pcap"))
        #expect(try TraceInput.open(path: dir.file("cut.pcap")).report.truncated)

        var bad = PcapBytes()
        bad.record(time: 5, source: 1)
        bad.record(seconds: 0, nanos: 9, payload: PcapBytes.payload(source: 1, kind: 9))
        let badPath = try dir.write("bad.pcap", bytes: bad.bytes)
        let fastError = traceError { _ = try readAll(try TraceInput.open(path: badPath)) }
        let slowError = traceError { _ = try readAll(try Self.throughLibpcap(badPath)) }
        #expect(fastError != nil && fastError?.description == slowError?.description)

        // Big-endian header and records: the same trace as t.pcap.
        var swapped = [UInt8]()
        func be32(_ v: UInt32) { swapped += [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
        be32(0xA1B2_3C4D); swapped += [0, 2, 0, 4]; be32(0); be32(0); be32(65535); be32(147)
        for i in 0..<100 {
            be32(0); be32(UInt32(i * 1000)); be32(8); be32(8)
            swapped += PcapBytes.payload(source: 1)
        }
        try dir.write("be.pcap", bytes: swapped)
        try Self.same(dir.file("be.pcap"))
        #expect(try readAll(TraceInput.open(path: dir.file("be.pcap"))) == readAll(TraceInput.open(path: dir.file("t.pcap"))))
    }

    /// The second pass streams the file again: a file changed in place after `open` (records
    /// added, cut at a record boundary or inside a record, a record damaged) is an error when the
    /// change is reached, never a replay of other records than the report describes. The file
    /// spans several read blocks so that the changes lie beyond what `open` has already read.
    @Test func fileChangedInPlaceAfterOpenIsAnError() throws {
        let dir = try TempDir()
        let events = (0..<30_000).map { level(UInt64($0) * 1000) }
        let path = dir.file("c.pcap")
        let size = NativeBlockReader.headerSize + events.count * NativeBlockReader.recordSize
        func changed(_ change: (FileHandle) throws -> Void) throws -> TraceError? {
            try writeNative(events, to: path)
            let input = try TraceInput.open(path: path)
            #expect(input.report.recordCount == events.count)
            let handle = try #require(FileHandle(forUpdatingAtPath: path))
            try change(handle)
            try handle.close()
            return traceError { _ = try readAll(input) }
        }
        let reason = "the file changed while it was being read"
        #expect(try changed { h in  // the last record once more: valid, in order, one too many
            try h.seek(toOffset: UInt64(size - NativeBlockReader.recordSize))
            let last = try #require(try h.read(upToCount: NativeBlockReader.recordSize))
            try h.write(contentsOf: last)
        }?.reason == reason)
        #expect(try changed { try $0.truncate(atOffset: UInt64(size - 2 * NativeBlockReader.recordSize)) }?.reason == reason)
        #expect(try changed { try $0.truncate(atOffset: UInt64(size - 5)) }?.reason == reason)
        #expect(try changed { h in
            try h.seek(toOffset: UInt64(size - NativeBlockReader.recordSize + 8))
            try h.write(contentsOf: [9])  // captured length 9
        }?.reason == reason)
        // Unchanged, the same file reads whole.
        #expect(try changed { _ in } == nil)
    }
}
