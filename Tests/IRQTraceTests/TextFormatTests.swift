import Foundation
import Testing
@testable import IRQTrace

@Suite struct TextFormatTests {
    static let canonical = """
        time_ns,source,kind,count
        0,1,level,1
        1200,1,level,3
        1200,1023,edge,4294967295
        4294967295999999999,2,level,1

        """

    @Test func textToNativeToTextIsByteIdentical() throws {
        let dir = try TempDir()
        let text = try dir.write("in.csv", Self.canonical)
        var raw = try RecordStream(TextTraceReader(path: text), name: text)
        try writeTrace(&raw, format: .native, path: dir.file("mid.pcap"))
        var back = try RecordStream(NativeTraceReader(path: dir.file("mid.pcap")), name: "mid")
        try writeTrace(&back, format: .text, path: dir.file("out.csv"))
        #expect(try dir.read("out.csv") == Array(Self.canonical.utf8))
    }

    @Test func commentsBlankLinesSpacesAndCRLFAreAccepted() throws {
        let dir = try TempDir()
        let p = try dir.write("c.csv", "# made by hand\r\n\r\ntime_ns,source,kind,count\r\n# a comment\r\n 5 , 2 ,edge, 3\r\n\n10,1,level,1")
        #expect(try readAll(TextTraceReader(path: p)) == [
            TraceEvent(time: 5, source: 2, kind: .edge, count: 3), level(10),
        ])
    }

    @Test func headerOnlyIsAnEmptyTrace() throws {
        let dir = try TempDir()
        let p = try dir.write("h.csv", "time_ns,source,kind,count\n")
        let input = try TraceInput.open(path: p)
        #expect(input.report.recordCount == 0)
        #expect(input.report.format == .text)
        #expect(try input.next() == nil)
    }

    /// Every text error names the file and the line (comments and blank lines count as lines).
    @Test(arguments: [
        ("0,1,level,1\n", 1, "missing header line 'time_ns,source,kind,count' (found '0,1,level,1')"),
        ("# only a comment\n", 1, "missing header line 'time_ns,source,kind,count' (no data lines)"),
        ("H\n0,1,level,1\n#c\n12x,1,level,1\n", 4, "bad number '12x' in time_ns (integer expected)"),
        ("H\n1.5,1,level,1\n", 2, "bad number '1.5' in time_ns (integer expected)"),
        ("H\n-5,1,level,1\n", 2, "time_ns -5 is negative"),
        ("H\n99999999999999999999,1,level,1\n", 2, "time_ns 99999999999999999999 is out of range (at most 4294967295999999999)"),
        ("H\n4294967296000000000,1,level,1\n", 2, "time_ns 4294967296000000000 is out of range (at most 4294967295999999999)"),
        ("H\n0,1,pulse,1\n", 2, "unknown kind 'pulse' (expected level or edge)"),
        ("H\n0,1,level\n", 2, "expected 4 fields (time_ns,source,kind,count), found 3"),
        ("H\n0,1,level,1,9\n", 2, "expected 4 fields (time_ns,source,kind,count), found 5"),
        ("H\n0,0,level,1\n", 2, "source 0 is outside 1...1023"),
        ("H\n0,1024,level,1\n", 2, "source 1024 is outside 1...1023"),
        ("H\n0,1,level,0\n", 2, "count is 0 (must be at least 1)"),
        ("H\n0,1,level,4294967296\n", 2, "count 4294967296 is out of range (at most 4294967295)"),
        ("H\n,1,level,1\n", 2, "time_ns is empty"),
    ])
    func badLineNamesFileAndLine(body: String, line: Int, reason: String) throws {
        let dir = try TempDir()
        let text = body.replacingOccurrences(of: "H\n", with: "time_ns,source,kind,count\n")
        let p = try dir.write("bad.csv", text)
        let e = traceError { _ = try readAll(TextTraceReader(path: p)) }
        #expect(e?.description == "\(p):\(line): \(reason)")
    }

    @Test func unterminatedUnparsableLastLineIsTruncation() throws {
        let dir = try TempDir()
        let p = try dir.write("cut.csv", "time_ns,source,kind,count\n0,1,level,1\n100,1,lev")
        let input = try TraceInput.open(path: p)
        #expect(input.report.truncated)
        #expect(input.report.recordCount == 1)
        #expect(try readAll(input) == [level(0)])
        let strict = traceError { _ = try TraceInput.open(path: p, options: TraceOptions(strict: true)) }
        #expect(strict?.kind == .truncated)
        #expect(strict?.description.hasPrefix("\(p): record 2: ") == true)
        // The same bad line with its newline is an error, not a truncation.
        let q = try dir.write("bad.csv", "time_ns,source,kind,count\n0,1,level,1\n100,1,lev\n")
        #expect(traceError { _ = try TraceInput.open(path: q) }?.description
                == "\(q):3: expected 4 fields (time_ns,source,kind,count), found 3")
    }

    @Test func longTraceReadsInChunksAcrossBoundaries() throws {
        let dir = try TempDir()
        var text = "time_ns,source,kind,count\n"
        var expected: [TraceEvent] = []
        for i in 0..<50_000 {
            let e = TraceEvent(time: UInt64(i) * 1_234_567, source: UInt16(i % 1023 + 1),
                               kind: i % 3 == 0 ? .edge : .level, count: UInt32(i % 17 + 1))
            expected.append(e)
            text += "\(e.time),\(e.source),\(e.kind.name),\(e.count)\n"
        }
        #expect(text.utf8.count > 3 * 64 * 1024)
        let p = try dir.write("long.csv", text)
        #expect(try readAll(TextTraceReader(path: p)) == expected)
    }

    @Test func overlongLineIsAnErrorNotUnboundedMemory() throws {
        let dir = try TempDir()
        let p = try dir.write("long-line.csv", "time_ns,source,kind,count\n" + String(repeating: "1", count: 10_000) + ",1,level,1\n")
        #expect(traceError { _ = try readAll(TextTraceReader(path: p)) }?.description == "\(p):2: line longer than 4096 bytes")
    }
}
