import Dispatch
import Foundation
import Testing
@testable import IRQTrace

/// `TraceInput.reading` runs a native trace's first pass beside the reading: whatever the file,
/// the records, the report and every error must be those of reading `TraceInput.open(path:)`.
struct FirstPassOverlapTests {
    /// A native trace spanning several read blocks (30k records of 24 bytes), from a late origin.
    static func writeMix(_ path: String, records: Int = 30_000, change: (inout [TraceEvent]) -> Void = { _ in }) throws {
        var events = try NativeBlockReaderTests.events(BenchTraces.Shape.mix.options(records: records, seed: 11))
        for i in events.indices { events[i].time += 5_000_000_000_000 }
        change(&events)
        try writeNative(events, to: path)
    }

    /// `reading` with `readAll` as the body: the records, the input, and how often the body ran.
    static func readThrough(_ path: String, _ options: TraceOptions = .init()) throws
        -> (records: [TraceEvent], input: TraceInput, bodies: Int)
    {
        var bodies = 0
        let (records, input) = try TraceInput.reading(path: path, options: options) { input in
            bodies += 1
            return try readAll(input)
        }
        return (records, input, bodies)
    }

    @Test func sortedTraceReadsAsOpenReadsItWithAndWithoutGapCompression() throws {
        let dir = try TempDir()
        let path = dir.file("a.pcap")
        try Self.writeMix(path)
        for options in [TraceOptions(), TraceOptions(maxGapNs: 20_000)] {
            let opened = try TraceInput.open(path: path, options: options)
            let read = try Self.readThrough(path, options)
            #expect(read.bodies == 1)
            #expect(read.input.report == opened.report)
            #expect(try read.records == readAll(opened))
            #expect(read.records.count == 30_000)
            // What a sweep keeps for the later replays of the file.
            let pass = try #require(read.input.firstPass)
            #expect(pass.report == opened.report && pass.options == options && pass.identity == opened.firstPass?.identity)
        }
        #expect(try TraceInput.open(path: path, options: TraceOptions(maxGapNs: 20_000)).report.compressedGaps > 0)
    }

    @Test func emptyAndTextTracesReadAsOpenReadsThem() throws {
        let dir = try TempDir()
        try writeNative([], to: dir.file("empty.pcap"))
        let text = try dir.write("t.csv", "time_ns,source,kind,count\n5,1,level,1\n3,2,edge,1\n")
        for path in [dir.file("empty.pcap"), text] {
            let read = try Self.readThrough(path)
            let opened = try TraceInput.open(path: path)
            #expect(try read.input.report == opened.report && read.records == readAll(opened) && read.bodies == 1)
        }
    }

    /// A record out of order: what the body made of the file is dropped, and the file is read
    /// again, sorted, as `open` reads it.
    @Test func unsortedTraceIsReadAgainSorted() throws {
        let dir = try TempDir()
        let path = dir.file("u.pcap")
        try Self.writeMix(path) { $0.swapAt(20_000, 25_000) }  // past the first read block
        let read = try Self.readThrough(path)
        let opened = try TraceInput.open(path: path)
        #expect(read.bodies == 2)
        #expect(read.input.report == opened.report && read.input.report.reorderedRecords > 0)
        #expect(try read.records == readAll(opened))
        #expect(read.input.firstPass == nil)
    }

    /// A damaged record, a damaged first record, a file cut inside a record: the same error or
    /// report as `open` (libpcap's reading names the file and the record).
    @Test func badRecordsGiveOpensErrorOrReport() throws {
        let dir = try TempDir()
        for at in [0, 20_000] {
            let path = dir.file("bad\(at).pcap")
            try Self.writeMix(path)
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            // Record `at`'s count field (offset 20 of its 24 bytes): 0.
            let field = NativeBlockReader.headerSize + at * NativeBlockReader.recordSize + 20
            bytes.replaceSubrange(field..<field + 4, with: [0, 0, 0, 0])
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let expected = try #require(traceError { _ = try readAll(TraceInput.open(path: path)) })
            #expect(expected.description.contains("\(path): record \(at + 1)"))
            #expect(traceError { _ = try Self.readThrough(path) } == expected)
        }
        let cut = dir.file("cut.pcap")
        try Self.writeMix(cut)
        let handle = try #require(FileHandle(forUpdatingAtPath: cut))
        try handle.truncate(atOffset: try handle.seekToEnd() - 5)
        try handle.close()
        let read = try Self.readThrough(cut)
        let opened = try TraceInput.open(path: cut)
        #expect(read.input.report == opened.report && read.input.report.truncated)
        #expect(try read.records == readAll(opened))
    }

    /// The body's own error on a sound file stands, and the body runs once.
    @Test func bodysErrorOnASoundTraceStands() throws {
        struct Stop: Error, Equatable {}
        let dir = try TempDir()
        let path = dir.file("a.pcap")
        try Self.writeMix(path)
        var bodies = 0
        #expect(throws: Stop()) {
            _ = try TraceInput.reading(path: path) { input in
                bodies += 1
                for _ in 0..<10 { _ = try input.next() }
                throw Stop()
            }
        }
        #expect(bodies == 1)
    }

    /// An overlapped input whose first pass waits for `gate`, so a test can change the file
    /// between the two reads in either order.
    static func gated(_ path: String) throws -> (input: TraceInput, gate: DispatchSemaphore) {
        let gate = DispatchSemaphore(value: 0)
        let blocks = try #require(try NativeBlockReader(path: path))
        let origin = try #require(blocks.firstRecordTime())
        let pass = JoinableThread {
            gate.wait()
            return Result { try TraceInput.nativeFirstPass(path: path, options: TraceOptions()) }
        }
        let input = TraceInput(streaming: blocks, origin: origin, name: path, options: TraceOptions(),
                               overlapping: pass, identity: FileIdentity(path: path))
        return (input, gate)
    }

    static let changed = "the file changed while it was being read"

    @Test func fileChangedBetweenTheReadsIsReported() throws {
        let dir = try TempDir()
        let path = dir.file("c.pcap")
        let size = UInt64(NativeBlockReader.headerSize + 30_000 * NativeBlockReader.recordSize)

        // The stream first, then one record more, then the first pass.
        try Self.writeMix(path)
        let (late, gate) = try Self.gated(path)
        #expect(try readAll(late).count == 30_000)
        try Self.writeMix(path, records: 30_001)
        gate.signal()
        #expect(traceError { _ = try late.settleOverlap(bodyFailed: nil) }?.reason == Self.changed)

        // The first pass first, then the file cut by two records, then the stream.
        try Self.writeMix(path)
        #expect(traceError {
            _ = try TraceInput.reading(path: path) { input in
                _ = input.overlap?.pass.join()
                let handle = try #require(FileHandle(forUpdatingAtPath: path))
                try handle.truncate(atOffset: size - 2 * UInt64(NativeBlockReader.recordSize))
                try handle.close()
                return try readAll(input)
            }
        }?.reason == Self.changed)

        // The stream finds a record out of order, then the file is sorted again before the first
        // pass: the stream's "changed" stands, the file is not read again.
        try Self.writeMix(path) { $0.swapAt(20_000, 25_000) }
        let (unsorted, gate2) = try Self.gated(path)
        let error = try #require(traceError { _ = try readAll(unsorted) })
        #expect(error.reason == Self.changed)
        try Self.writeMix(path)
        gate2.signal()
        #expect(try unsorted.settleOverlap(bodyFailed: error))
    }
}

/// The first pass's thread and the stream share only the file and what `join` hands over: run
/// under the thread sanitizer by scripts/test (its filter takes this suite's name).
struct FirstPassOverlapConcurrencyStressTests {
    @Test func readingsBesideTheirFirstPassesAgreeWithOpen() throws {
        let dir = try TempDir()
        let path = dir.file("s.pcap")
        try FirstPassOverlapTests.writeMix(path, records: 12_000)
        let opened = try TraceInput.open(path: path)
        let records = try readAll(opened)
        for _ in 0..<20 {
            let read = try FirstPassOverlapTests.readThrough(path)
            #expect(read.input.report == opened.report && read.records == records && read.bodies == 1)
        }
    }
}
