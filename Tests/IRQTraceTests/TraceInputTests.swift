import Foundation
import Testing
@testable import IRQTrace

@Suite struct TraceInputTests {
    @Test func timesAreRelativeToTheEarliestEvent() throws {
        let dir = try TempDir()
        let p = dir.file("abs.pcap")
        try writeNative([level(1_700_000_000_000_000_000), level(1_700_000_000_000_000_250, 2)], to: p)
        let input = try TraceInput.open(path: p)
        #expect(input.report.originNs == 1_700_000_000_000_000_000)
        #expect(input.report.durationNs == 250)
        #expect(input.report.reorderedRecords == 0)
        #expect(try readAll(input) == [level(0), level(250, 2)])
    }

    @Test func backwardRecordsAreSortedStablyAndCounted() throws {
        let dir = try TempDir()
        let p = try dir.write("r.csv", """
            time_ns,source,kind,count
            100,1,level,1
            300,2,level,1
            200,3,level,1
            300,4,level,1
            50,5,level,1
            200,6,level,1

            """)
        let input = try TraceInput.open(path: p)
        // 200 (after 300), 50 and the second 200 went back in time.
        #expect(input.report.reorderedRecords == 3)
        #expect(input.report.originNs == 50)
        // Equal times keep file order: 3 before 6, 2 before 4.
        #expect(try readAll(input).map { [$0.time, UInt64($0.source)] } == [
            [0, 5], [50, 1], [150, 3], [150, 6], [250, 2], [250, 4],
        ])
        #expect(input.report.sha256?.count == 64)
    }

    @Test func longGapsAreCompressedAndReported() throws {
        let dir = try TempDir()
        let year: UInt64 = 365 * 24 * 3600 * 1_000_000_000
        let p = dir.file("gap.pcap")
        try writeNative([level(1000), level(1500), level(1500 + 2 * year), level(1600 + 2 * year),
                         level(1600 + 2 * year + 10_000)], to: p)
        let input = try TraceInput.open(path: p, options: TraceOptions(maxGapNs: 1000))
        #expect(input.report.compressedGaps == 2)
        #expect(input.report.removedGapNs == (2 * year - 1000) + (10_000 - 1000))
        #expect(input.report.durationNs == 500 + 1000 + 100 + 1000)
        #expect(try readAll(input).map(\.time) == [0, 500, 1500, 1600, 2600])

        // Without the option nothing changes.
        let plain = try TraceInput.open(path: p)
        #expect(plain.report.compressedGaps == 0)
        #expect(try readAll(plain).map(\.time) == [0, 500, 500 + 2 * year, 600 + 2 * year, 10_600 + 2 * year])
    }

    @Test func gapsAreCompressedAfterSorting() throws {
        let input = try TraceInput(reader: RecordedReader([level(10_000), level(0), level(10)],
                                                           truncated: false, notes: []),
                                   name: "mem", format: .text, options: TraceOptions(maxGapNs: 100))
        #expect(input.report.reorderedRecords == 2)  // both are earlier than 10_000
        #expect(input.report.compressedGaps == 1)
        #expect(try readAll(input).map(\.time) == [0, 10, 110])
    }

    /// A sorted file is streamed: after open() the second pass's reader has not read anything.
    @Test func sortedFileIsStreamedNotLoaded() throws {
        final class Counting: TraceRecordReader {
            var reads = 0
            let n: Int
            init(_ n: Int) { self.n = n }
            func nextRecord() throws -> TraceEvent? {
                guard reads < n else { return nil }
                reads += 1
                return level(UInt64(reads) * 10)
            }
            var truncated: Bool { false }
            var notes: [String] { [] }
        }
        var made: [Counting] = []
        let input = try TraceInput(name: "gen", format: .native) {
            let r = Counting(1000)
            made.append(r)
            return r
        }
        #expect(made.count == 2)
        #expect(made[1].reads == 0)
        #expect(input.report.recordCount == 1000)
        _ = try input.next()
        _ = try input.next()
        #expect(made[1].reads == 2)
    }

    @Test func fileChangedBetweenPassesIsAnError() throws {
        var calls = 0
        let input = try TraceInput(name: "moving", format: .native) {
            calls += 1
            return RecordedReader(calls == 1 ? [level(1), level(2)] : [level(1), level(2), level(3)],
                                  truncated: false, notes: [])
        }
        _ = try input.next()
        _ = try input.next()
        #expect(traceError { _ = try input.next() }?.reason == "the file changed while it was being read")
    }

    @Test func sha256IsOfTheFileBytes() throws {
        let dir = try TempDir()
        let p = try dir.write("h.csv", "time_ns,source,kind,count\n")
        // printf 'time_ns,source,kind,count\n' | sha256sum
        #expect(try TraceInput.open(path: p).report.sha256
                == "a08cc9045c16f3f4a570132d2d5cab862e25314842cd0e8843c338ba409c09da")
    }

    @Test func writeTraceIsAtomic() throws {
        let dir = try TempDir()
        let out = dir.file("out.pcap")
        try writeNative([level(1)], to: out)
        let before = try dir.read("out.pcap")
        var bad = ArrayTraceStream([level(5), level(6, 0)])
        let e = traceError { try writeTrace(&bad, format: .native, path: out) }
        #expect(e?.description == "\(out): record 2: source 0 is outside 1...1023")
        #expect(try dir.read("out.pcap") == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.pcap"])
    }
}
