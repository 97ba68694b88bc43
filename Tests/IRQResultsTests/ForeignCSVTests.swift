import Foundation
import Testing
@testable import IRQResults

/// Files that another tool saved (Python's csv module and spreadsheets write CRLF, Windows
/// editors put a byte-order mark first, many tools leave an empty last line) read exactly as the
/// file irqbench wrote; a file that is not one still gets a single `file:line: reason` line.
struct ForeignCSVTests {
    static let rows = simRows()
    static let lf = ResultsCSV.render(rows)
    static func crlf(_ s: String) -> String { s.replacingOccurrences(of: "\n", with: "\r\n") }
    static let bom = "\u{FEFF}"

    static let variants: [(String, String)] = {
        var v: [(String, String)] = []
        v.append(("CRLF", crlf(lf)))
        v.append(("BOM", bom + lf))
        v.append(("BOM and CRLF", bom + crlf(lf)))
        v.append(("trailing empty line", lf + "\n"))
        v.append(("trailing empty CRLF line", crlf(lf) + "\r\n"))
        v.append(("no final line end", String(lf.dropLast())))
        v.append(("no final line end, CRLF", String(crlf(lf).dropLast())))
        v.append(("quoted header", lf.replacingOccurrences(of: "schema,commit,", with: "\"schema\",\"commit\",")))
        return v
    }()

    @Test(arguments: variants)
    func resultsReadAsWritten(variant: String, text: String) throws {
        #expect(try ResultsCSV.parse(text, file: "r.csv") == Self.rows, "\(variant)")
    }

    @Test func notAResultsFileIsOneLineWithItsLineNumber() {
        let other = Self.bom + "\r\n# a comment\r\nname,value\r\nx,1\r\n"
        #expect(throws: ResultsFormatError(file: "o.csv", line: 3,
                    reason: "not an irqbench results file (expected header '\(ResultsSchema.header)')")) {
            try ResultsCSV.parse(other, file: "o.csv")
        }
    }

    @Test func aBadRowInACRLFFileIsNamedByItsLine() {
        var lines = Self.crlf(Self.lf).components(separatedBy: "\r\n")
        lines[2] = "1,c0ffee1,nic.pcap,only,five"
        #expect(throws: ResultsFormatError(file: "r.csv", line: 3, reason: "expected 10 fields (\(ResultsSchema.header))")) {
            try ResultsCSV.parse(lines.joined(separator: "\r\n"), file: "r.csv")
        }
    }

    @Test func emptyAndBOMOnlyFilesSayNoHeader() {
        for text in ["", Self.bom, "\r\n\r\n", Self.bom + "\r\n"] {
            #expect(throws: ResultsFormatError(file: "e.csv", line: 1, reason: "empty file: no results header")) {
                try ResultsCSV.parse(text, file: "e.csv")
            }
        }
    }

    @Test func loadReadsAFileSavedWithCRLFAndBOM() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("irqbench-crlf-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data((Self.bom + Self.crlf(Self.lf)).utf8).write(to: URL(fileURLWithPath: path))
        #expect(try ResultsCSV.load(path: path) == Self.rows)
        #expect(try ResultsSource.resolve(path).rows() == Self.rows)
    }

    @Test func loadNamesAMissingFileOrADirectory() {
        #expect(throws: ResultsFormatError(file: "/nonexistent/r.csv", line: 0, reason: "no such file")) {
            try ResultsCSV.load(path: "/nonexistent/r.csv")
        }
        let dir = FileManager.default.temporaryDirectory.path
        #expect(throws: ResultsFormatError(file: dir, line: 0, reason: "is a directory, not a results file")) {
            try ResultsCSV.load(path: dir)
        }
        #expect("\(ResultsFormatError(file: "x.csv", line: 0, reason: "no such file"))" == "x.csv: no such file")
    }

    @Test func rateSeriesReadAsWritten() throws {
        let series = [RateSeries(strategy: "host-end", bucketNs: 1_000_000, counts: [3, 0, 7]),
                      RateSeries(strategy: "guest-end", bucketNs: 1_000_000, counts: [1, 1, 0])]
        let text = RateSeriesCSV.render(series)
        for variant in [Self.crlf(text), Self.bom + text, Self.bom + Self.crlf(text) + "\r\n"] {
            #expect(try RateSeriesCSV.parse(variant, file: "r") == series)
        }
        #expect(throws: ResultsFormatError(file: "r", line: 1,
                    reason: "not an irqbench rate series file (expected header '\(RateSeriesCSV.header)')")) {
            try RateSeriesCSV.parse(Self.bom + "a,b\r\n", file: "r")
        }
    }

    @Test func thresholdsReadAsWritten() throws {
        let text = "metric,percent,kind\n*_p99,10,wall\n# note\nrequests_per_sec,5%\n"
        let expected = try Thresholds.parse(text, file: "t")
        #expect(expected.rules.count == 2)
        for variant in [Self.crlf(text), Self.bom + Self.crlf(text) + "\r\n"] {
            #expect(try Thresholds.parse(variant, file: "t").rules == expected.rules)
        }
        #expect(throws: ResultsFormatError(file: "t", line: 2, reason: "expected 'metric,percent[,kind]'")) {
            try Thresholds.parse(Self.bom + "metric,percent\r\nonly-one-field\r\n", file: "t")
        }
    }

    @Test func linesAreNumberedAsAnEditorNumbersThem() {
        let lines = CSVText.numberedLines("\u{FEFF}a\r\nb\nc\rd")
        #expect(lines.map(\.number) == [1, 2, 3, 4])
        #expect(lines.map { String($0.text) } == ["a", "b", "c", "d"])
    }
}
