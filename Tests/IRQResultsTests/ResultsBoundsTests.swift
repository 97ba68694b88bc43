import Foundation
import IRQResults
import Testing

/// What the results readers do with damaged files (the FuzzResults target's findings, and the
/// bounds that keep their memory and time in check; docs/fuzzing.md): one clean error or a
/// result, never a trap, an allocation the file does not justify, or a quadratic read.
struct ResultsBoundsTests {
    static let header = "strategy,bucket_ns,bucket,count"

    /// Fixtures/fuzz/NAME next to this file: inputs found by the FuzzResults target.
    static func fixture(_ name: String) -> String {
        let me = "\(#filePath)"
        return String(me[...me.lastIndex(of: "/")!]) + "Fixtures/fuzz/" + name
    }

    /// Found by FuzzResults: a measured metric with one repetition that has no samples (an empty
    /// value) compared with itself was a regression ("changed", exit 1).
    @Test func aFileWithAnEmptyRepetitionComparedWithItselfIsTheSame() throws {
        let rows = try ResultsCSV.load(path: Self.fixture("self-compare-empty-rep.csv"))
        #expect(rows.map(\.value) == ["0", ""])
        let report = compareResults(old: rows, new: rows)
        #expect(report.rows.map(\.verdict) == [.same])
        #expect(report.exitStatus == .noRegression)
        // One side with one more empty repetition is still a change.
        let more = rows + [ResultRow(commit: "", trace: "t.pcap", traceSHA256: "", params: "service=5000", strategy: "guest-end",
                                     kind: .wall, metric: "requests_per_sec", rep: 2, value: "")]
        #expect(compareResults(old: rows, new: more).rows.map(\.verdict) == [.changed])
    }

    /// Found by FuzzResults (a LeakSanitizer report, session 2): `OLD \0 NEW \0 THRESHOLDS` with an
    /// empty NEW. Reading an empty file through Foundation leaks a 4 KiB buffer inside the
    /// toolchain's Foundation (Fuzz/lsan.supp); irqbench's part is to refuse each side with one
    /// clean line, the same from the whole-file and the streaming reader.
    @Test func theLeakInputIsRefusedCleanlyByEveryReader() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.fixture("empty-part-leak.bin"))))
        let parts = bytes.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false).map(Array.init)
        #expect(parts.count == 3 && parts[1].isEmpty)
        let old = try Self.write(parts[0]), new = try Self.write(parts[1])
        let notResults = "not an irqbench results file (expected header '\(ResultsSchema.header)')"
        for (path, reason) in [(old, notResults), (new, "empty file: no results header")] {
            let expected = "\(path):1: \(reason)"
            #expect(Self.loadError { _ = try ResultsCSV.load(path: path) } == expected)
            #expect(Self.loadError { _ = try Self.streamed(path) } == expected)
        }
    }

    static func rateError(_ body: String) -> String {
        do {
            _ = try RateSeriesCSV.parse(header + "\n" + body, file: "r.csv")
            return ""
        } catch { return "\(error)" }
    }

    static func loadError(_ body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        return ""
    }

    /// A bucket index allocated that many counts: one line could ask for 400 MB, each strategy again.
    @Test func rateSeriesBucketsAreBoundedOverTheWholeFile() throws {
        let huge = Self.fixture("rate-bucket-huge.csv")
        #expect(Self.loadError { _ = try RateSeriesCSV.load(path: huge) }
                == "\(huge):2: bucket 99999999 takes the file past 10000000 buckets in all (irqbench writes at most 65536 a strategy)")
        #expect(Self.rateError("a,1000,10000000,1\n")
                == "r.csv:2: bucket 10000000 takes the file past 10000000 buckets in all (irqbench writes at most 65536 a strategy)")
        #expect(Self.rateError("a,1000,6000000,1\nb,1000,3999998,1\nc,1000,0,1\n").hasPrefix("r.csv:4: bucket 0 takes the file past"))
        let fine = try RateSeriesCSV.parse(Self.header + "\na,1000,3,2\na,1000,1,5\na,1000,3,1\n", file: "r.csv")
        #expect(fine == [RateSeries(strategy: "a", bucketNs: 1000, counts: [0, 5, 0, 3])])
    }

    /// Two lines for one bucket add up; past 32 bits that trapped.
    @Test func rateSeriesCountsThatOverflowAreAnError() {
        let path = Self.fixture("rate-count-overflow.csv")
        #expect(Self.loadError { _ = try RateSeriesCSV.load(path: path) }
                == "\(path):3: the counts of bucket 2 of a add up to more than 4294967295")
    }

    /// Histogram bucket counts near 2^64 in a damaged file trapped when summed (plot, compare).
    @Test func histogramCountsSaturateInsteadOfTrapping() throws {
        let rows = try ResultsCSV.load(path: Self.fixture("hist-count-overflow.csv"))
        #expect(rows.count == 2 && rows.allSatisfy { $0.value == String(UInt64.max) })
        let (name, bucket) = try #require(LatencyBuckets.split(rows[0].metric))
        let d = try #require(LatencyBuckets.distributions(in: rows)[name])
        #expect(d.counts[bucket] == UInt64.max)
        #expect(d.total == UInt64.max)
        #expect((d + d).total == UInt64.max)
        #expect(d.quantileBound(0.5) == LatencyBuckets.upperBound(ofBucket: bucket))
        #expect(d.cdf.map(\.fraction) == [1])
        #expect(compareResults(old: rows, new: rows).regressions.isEmpty)
    }

    /// A params text with an item that is only `=` trapped when two runs' parameters were told apart.
    @Test func paramsWithoutANameAreDescribed() throws {
        // The fixture is OLD \0 NEW, as the fuzz target reads it.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.fixture("params-only-equals.pair")))
        let parts = bytes.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        let old = try ResultsCSV.parse(parts[0], file: "old"), new = try ResultsCSV.parse(parts[1], file: "new")
        #expect(old[0].params == "=" && new[0].params == "service=5")
        let report = compareResults(old: old, new: new)
        #expect(report.notes.contains { $0.hasSuffix("trace t.pcap:   (OLD) vs default (NEW), service default (OLD) vs 5 (NEW)") })
        #expect(paramsDifference("=;service=5", "service=6").hasSuffix(", service 5 (OLD) vs 6 (NEW)"))
    }

    static func write(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bounds-\(UUID().uuidString).csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func streamed(_ path: String) throws -> [ResultRow] {
        let reader = try ResultsFileReader(path: path)
        var rows: [ResultRow] = []
        while let r = try reader.nextRow() { rows.append(r) }
        return rows
    }

    /// A file with no line end held itself whole in the streaming reader's buffer, searched again
    /// after every 256 KiB read; lines are now at most 1 MiB, each byte searched once.
    @Test func streamingReaderRefusesALineOverOneMiB() throws {
        let header = "schema,commit,trace,trace_sha256,params,strategy,kind,metric,rep,value\n"
        let path = try Self.write(Array(header.utf8) + [UInt8](repeating: 0x31, count: (1 << 20) + 1))
        let e = #expect(throws: ResultsFormatError.self) { try Self.streamed(path) }
        #expect(e?.description == "\(path):2: line longer than 1048576 bytes (1 MiB): not a results file")
    }

    /// Line ends cut by the 256 KiB reads (the CR of a CRLF as a read's last byte, a lone CR
    /// there) give the rows the whole-file parser gives.
    @Test(arguments: ["\r\n", "\r"])
    func lineEndsAcrossReadsAreCutOnce(lineEnd: String) throws {
        let header = "schema,commit,trace,trace_sha256,params,strategy,kind,metric,rep,value" + lineEnd
        // A comment line whose CR is byte 262143, the last of the first read.
        let pad = (1 << 18) - 1 - header.utf8.count - 1
        var text = header + "#" + String(repeating: "x", count: pad) + lineEnd
        #expect(Array(text.utf8)[(1 << 18) - 1] == 0x0D)
        for n in 0..<100 { text += "1,c,t.pcap,ab,,host-end,sim,m\(n),0,\(n)" + lineEnd }
        let path = try Self.write(Array(text.utf8))
        let rows = try Self.streamed(path)
        #expect(rows == (try ResultsCSV.parse(text, file: path)))
        #expect(rows.count == 100)
    }
}
