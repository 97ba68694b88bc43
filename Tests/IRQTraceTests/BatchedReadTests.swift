import Foundation
import Testing
@testable import IRQTrace

/// `TraceStream.next(into:capacity:)`, through which the replay's record feed reads: the same
/// records as `next()`, in the same order, and an error from the call that reaches the record
/// `next()` would have failed on, after every record before it.
struct BatchedReadTests {
    /// The records `stream` gives through batches of at most `capacity`, and what the last call threw.
    static func readBatched<S: TraceStream>(_ stream: inout S, capacity: Int) -> (records: [TraceEvent], error: (any Error)?) {
        let buffer = UnsafeMutablePointer<TraceEvent>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var out: [TraceEvent] = []
        do {
            while true {
                let n = try stream.next(into: buffer, capacity: capacity)
                if n == 0 { return (out, nil) }
                #expect(n <= capacity)
                out.append(contentsOf: UnsafeBufferPointer(start: buffer, count: n))
            }
        } catch {
            return (out, error)
        }
    }

    /// The same through `next()`.
    static func readSingly<S: TraceStream>(_ stream: inout S) -> (records: [TraceEvent], error: (any Error)?) {
        var out: [TraceEvent] = []
        do {
            while let e = try stream.next() { out.append(e) }
            return (out, nil)
        } catch {
            return (out, error)
        }
    }

    static let capacities = [1, 2, 7, 256, 4096, 40_000]

    /// A native trace over several read blocks, opened (first pass done) and streamed beside its
    /// first pass, with and without gap compression: every batch size gives `next()`'s records.
    @Test func batchesGiveTheRecordsOfNext() throws {
        let dir = try TempDir()
        let path = dir.file("a.pcap")
        try FirstPassOverlapTests.writeMix(path)
        for options in [TraceOptions(), TraceOptions(maxGapNs: 20_000)] {
            var single = try TraceInput.open(path: path, options: options)
            let expected = Self.readSingly(&single)
            #expect(expected.error == nil && expected.records.count == 30_000)
            for capacity in Self.capacities {
                var opened = try TraceInput.open(path: path, options: options)
                let got = Self.readBatched(&opened, capacity: capacity)
                #expect(got.error == nil && got.records == expected.records, "capacity \(capacity)")
                // The stream's own count, which its first pass checks at the end, saw every record.
                #expect(try opened.next() == nil)
            }
            let (batched, input) = try TraceInput.reading(path: path, options: options) { input in
                var stream = input
                return Self.readBatched(&stream, capacity: 256)
            }
            #expect(batched.error == nil && batched.records == expected.records)
            #expect(input.report == single.report)
        }
    }

    /// A streamed trace with a damaged record, and one with a record out of order, both past the
    /// first read block: batches give every record before it, then the error `next()` gives there.
    @Test func aBadRecordFailsTheCallThatReachesIt() throws {
        let dir = try TempDir()
        let damaged = dir.file("damaged.pcap")
        try FirstPassOverlapTests.writeMix(damaged)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: damaged)))
        let field = NativeBlockReader.headerSize + 20_000 * NativeBlockReader.recordSize + 20  // record 20,001's count: 0
        bytes.replaceSubrange(field..<field + 4, with: [0, 0, 0, 0])
        try Data(bytes).write(to: URL(fileURLWithPath: damaged))
        let unsorted = dir.file("unsorted.pcap")
        try FirstPassOverlapTests.writeMix(unsorted) { $0.swapAt(20_000, 25_000) }
        // The damaged record is the 20,001st; the swapped-in record is in order, the one after it not.
        for (path, before) in [(damaged, 20_000), (unsorted, 20_001)] {
            let (single, gate) = try FirstPassOverlapTests.gated(path)
            var singleStream = single
            let expected = Self.readSingly(&singleStream)
            gate.signal()
            let expectedError = try #require(expected.error as? TraceError)
            #expect(expected.records.count == before)
            for capacity in Self.capacities {
                let (input, gate) = try FirstPassOverlapTests.gated(path)
                var stream = input
                let got = Self.readBatched(&stream, capacity: capacity)
                gate.signal()
                #expect(got.records == expected.records, "capacity \(capacity)")
                #expect((got.error as? TraceError) == expectedError, "capacity \(capacity)")
            }
        }
    }

    /// A stream without a batch of its own (the protocol's default) gives one event per call, so
    /// that an error it throws comes from the call that reaches it.
    @Test func defaultBatchIsOneEvent() throws {
        var stream = ArrayTraceStream([TraceEvent(time: 5, source: 1, kind: .level, count: 1),
                                       TraceEvent(time: 3, source: 1, kind: .level, count: 1)])
        let buffer = UnsafeMutablePointer<TraceEvent>.allocate(capacity: 8)
        defer { buffer.deallocate() }
        #expect(try stream.next(into: buffer, capacity: 8) == 1 && buffer[0].time == 5)
        #expect(try stream.next(into: buffer, capacity: 8) == 1 && buffer[0].time == 3)
        #expect(try stream.next(into: buffer, capacity: 8) == 0)
    }
}
