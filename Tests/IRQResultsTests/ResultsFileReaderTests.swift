import Foundation
import IRQResults
import Testing

/// The streaming reader (merge, crossover) reads every file as `ResultsCSV.parse` does.
struct ResultsFileReaderTests {
    static func write(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("reader-\(UUID().uuidString).csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static let lines = [
        "# a comment", "schema,commit,trace,trace_sha256,params,strategy,kind,metric,rep,value",
        "1,c,t.pcap,ab,service=1000,host-end,sim,requests,0,10", "",
        "1,c,t.pcap,ab,\"a=1;b=2\",guest-end,sim,storm_irqs,0,0",
    ]

    @Test(arguments: ["\n", "\r\n", "\r"])
    func sameRowsAsTheWholeFileParser(lineEnd: String) throws {
        let text = "\u{FEFF}" + Self.lines.joined(separator: lineEnd) + lineEnd + lineEnd
        let path = try Self.write(Array(text.utf8))
        let reader = try ResultsFileReader(path: path)
        #expect(try reader.readPreamble() == ["# a comment"])
        var rows: [ResultRow] = []
        while let r = try reader.nextRow() { rows.append(r) }
        #expect(rows == (try ResultsCSV.parse(text, file: path)))
        #expect(rows.count == 2 && rows[1].params == "a=1;b=2")
    }

    @Test func errorsNameTheFileAndLine() throws {
        let path = try Self.write(Array((Self.lines[1] + "\n1,c,t\n").utf8))
        let reader = try ResultsFileReader(path: path)
        _ = try reader.readPreamble()
        let e = #expect(throws: ResultsFormatError.self) { try reader.nextRow() }
        #expect(e?.description == "\(path):2: expected 10 fields (\(Self.lines[1]))")
        let binary = try Self.write([0x31, 0xff, 0xfe, 0x0a])
        #expect(throws: ResultsFormatError.self) { try ResultsFileReader(path: binary).nextRow() }
        let missing = #expect(throws: ResultsFormatError.self) { try ResultsFileReader(path: "/nonexistent.csv") }
        #expect(missing?.description == "/nonexistent.csv: no such file")
    }
}
