import Foundation
import Testing

/// The irqbench binary, run as a user runs it: exit codes, error lines, result files.
struct CLITests {
    static var binary: URL {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidate = dir.appendingPathComponent("irqbench")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        // swift-testing may run from inside the .xctest bundle.
        return dir.deletingLastPathComponent().appendingPathComponent("irqbench")
    }

    struct Output { var status: Int32; var stdout: String; var stderr: String }

    static func irqbench(_ args: [String], in dir: URL) throws -> Output {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        p.currentDirectoryURL = dir
        var env = ProcessInfo.processInfo.environment
        env["IRQBENCH_COMMIT"] = "testcommit"
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Output(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self))
    }

    static func scratch() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("irqbench-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    static let good = "time_ns,source,kind,count\n0,1,level,1\n5000,1,level,2\n"

    @Test func binaryIsBuilt() {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build with swift build --build-tests")
    }

    @Test func replaysATraceAndWritesTheResults() throws {
        let d = try Self.scratch()
        try Self.good.write(to: d.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        let r = try Self.irqbench(["run", "--trace", "t.csv", "--out", "r.csv", "--quiet"], in: d)
        #expect(r.status == 0, "\(r.stderr)")
        let csv = try String(contentsOf: d.appendingPathComponent("r.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("schema,commit,trace,trace_sha256,params,strategy,kind,metric,rep,value\n"))
        #expect(csv.contains("1,testcommit,t.csv,"))
        for s in ["host-end", "guest-end", "mask-unmask", "hw-eoi", "host-end-ratelimit"] {
            #expect(csv.contains(",\(s),sim,storm_irqs,0,"))
        }
    }

    @Test func sameInputsGiveByteIdenticalResults() throws {
        let d = try Self.scratch()
        try Self.good.write(to: d.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        _ = try Self.irqbench(["run", "--trace", "t.csv", "--out", "a.csv", "--quiet", "--param", "service=7000"], in: d)
        _ = try Self.irqbench(["run", "--trace", "t.csv", "--out", "b.csv", "--quiet", "--param", "service=7000", "--jobs", "1"], in: d)
        let a = try Data(contentsOf: d.appendingPathComponent("a.csv"))
        let b = try Data(contentsOf: d.appendingPathComponent("b.csv"))
        #expect(!a.isEmpty && a == b)
        #expect(String(decoding: a, as: UTF8.self).contains(",service=7000,"))
    }

    @Test func malformedTraceFailsWithOneLineAndNoResultFile() throws {
        let d = try Self.scratch()
        try "time_ns,source,kind,count\n0,1,level,1\n10,2000,level,1\n".write(
            to: d.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
        let r = try Self.irqbench(["run", "--trace", "bad.csv", "--out", "r.csv"], in: d)
        #expect(r.status != 0)
        #expect(!FileManager.default.fileExists(atPath: d.appendingPathComponent("r.csv").path))
        let errors = r.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors.count == 1, "\(r.stderr)")
        #expect(errors.first?.contains("bad.csv:3") == true, "names the file and the line: \(r.stderr)")
        #expect(!r.stderr.contains("Fatal error"))
    }

    @Test func oneBadTraceDoesNotStopTheOthers() throws {
        let d = try Self.scratch()
        try Self.good.write(to: d.appendingPathComponent("good.csv"), atomically: true, encoding: .utf8)
        try Data([0xD4, 0xC3, 0xB2, 0xA1, 0, 0]).write(to: d.appendingPathComponent("cut.pcap"))
        let r = try Self.irqbench(["run", "--trace", "good.csv", "--trace", "cut.pcap", "--out", "r.csv", "--quiet"], in: d)
        #expect(r.status == 1)
        let csv = try String(contentsOf: d.appendingPathComponent("r.csv"), encoding: .utf8)
        #expect(csv.contains(",good.csv,"))
        #expect(!csv.contains(",cut.pcap,"))
        #expect(r.stderr.contains("cut.pcap"))
    }

    @Test func badArgumentsAreRefusedBeforeAnythingRuns() throws {
        let d = try Self.scratch()
        try Self.good.write(to: d.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        try #"{"1": {"owner": "nobody"}}"#.write(to: d.appendingPathComponent("s.json"), atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["--param", "servise=1"], "unknown parameter 'servise'"),
            (["--param", "service"], "NAME=VALUE"),
            (["--param", "guest_min_run=0"], "guest_min_run"),
            (["--strategy", "eoi-later"], "unknown strategy"),
            (["--sources", "missing.json"], "missing.json"),
            (["--sources", "s.json"], "owner"),
            (["--trace", "nope.csv"], "nope.csv"),
        ]
        for (extra, message) in cases {
            let r = try Self.irqbench(["run", "--trace", "t.csv", "--out", "r.csv", "--quiet"] + extra, in: d)
            #expect(r.status != 0, "\(extra)")
            #expect(r.stderr.contains(message), "\(extra): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: d.appendingPathComponent("r.csv").path), "\(extra)")
        }
    }

    @Test func helpExplainsUnitsAndParameters() throws {
        let r = try Self.irqbench(["run", "--help"], in: try Self.scratch())
        #expect(r.status == 0)
        #expect(r.stdout.contains("ratelimit_window"))
        #expect(r.stdout.contains("integer ns"))
    }

    static let tracesDir = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("traces")

    /// A real results file re-saved as Python's csv module or a spreadsheet would (CRLF line
    /// ends, a byte-order mark, an empty last line) compares as the file itself.
    @Test func compareAcceptsACRLFCopyOfARealResultsFile() throws {
        let d = try Self.scratch()
        let trace = Self.tracesDir.appendingPathComponent("periodic-1khz.pcap").path
        let run = try Self.irqbench(["run", "--trace", trace, "--out", "r.csv", "--quiet"], in: d)
        #expect(run.status == 0, "\(run.stderr)")
        let text = try String(contentsOf: d.appendingPathComponent("r.csv"), encoding: .utf8)
        let crlf = "\u{FEFF}" + text.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n"
        try Data(crlf.utf8).write(to: d.appendingPathComponent("crlf.csv"))

        let same = try Self.irqbench(["compare", "r.csv", "r.csv", "--format", "csv"], in: d)
        let copy = try Self.irqbench(["compare", "r.csv", "crlf.csv", "--format", "csv"], in: d)
        #expect(copy.status == 0, "\(copy.stderr)")
        #expect(copy.stdout == same.stdout)
        #expect(copy.stdout.split(separator: "\n").count > 50)
        let reversed = try Self.irqbench(["compare", "crlf.csv", "r.csv", "--format", "csv"], in: d)
        #expect(reversed.status == 0 && reversed.stdout == same.stdout, "\(reversed.stderr)")
    }

    @Test func compareRefusesANonResultsCSVWithOneLine() throws {
        let d = try Self.scratch()
        try Data("\u{FEFF}name,value\r\nx,1\r\n".utf8).write(to: d.appendingPathComponent("other.csv"))
        let r = try Self.irqbench(["compare", "other.csv", "other.csv"], in: d)
        #expect(r.status == 4)
        #expect(r.stderr == "irqbench compare: other.csv:1: not an irqbench results file (expected header 'schema,commit,trace,trace_sha256,params,strategy,kind,metric,rep,value')\n")
    }
    /// `run --hgrm DIR`: one HdrHistogram percentile distribution file per strategy and
    /// distribution, whose total count is the sample count of that distribution's histogram rows.
    @Test func runWritesHgrmFiles() throws {
        let d = try Self.scratch()
        let trace = Self.tracesDir.appendingPathComponent("periodic-1khz.pcap").path
        let r = try Self.irqbench(["run", "--trace", trace, "--out", "r.csv", "--quiet", "--hgrm", "h"], in: d)
        #expect(r.status == 0, "\(r.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: d.appendingPathComponent("h").path).sorted()
        #expect(names.contains("periodic-1khz.pcap.guest-end.request_to_done.hgrm"))
        #expect(names.allSatisfy { $0.hasPrefix("periodic-1khz.pcap.") && $0.hasSuffix(".hgrm") })
        #expect(names.count >= 15, "\(names)")
        let csv = try String(contentsOf: d.appendingPathComponent("r.csv"), encoding: .utf8)
        for name in names {
            let parts = name.split(separator: ".")
            let (strategy, distribution) = (String(parts[2]), String(parts[3]))
            let text = try String(contentsOf: d.appendingPathComponent("h/\(name)"), encoding: .utf8)
            #expect(text.hasPrefix("       Value     Percentile TotalCount 1/(1-Percentile)\n\n"))
            let rowsTotal = csv.split(separator: "\n").filter { $0.contains(",\(strategy),sim,\(distribution)_hist_le_") }
                .compactMap { UInt64($0.split(separator: ",").last!) }.reduce(0, +)
            let totalLine = text.split(separator: "\n").first { $0.hasPrefix("#[Max") }
            #expect(totalLine?.hasSuffix(String(format: "Total count    = %12d]", rowsTotal)) == true, "\(name): \(totalLine ?? "")")
        }
    }
    /// plot compare pairs rows as compare does: across a single parameter change too, so the
    /// paired CDF pictures are drawn next to the bars.
    @Test func plotCompareDrawsPairedCDFsAcrossAParameterChange() throws {
        let d = try Self.scratch()
        let trace = Self.tracesDir.appendingPathComponent("periodic-1khz.pcap").path
        _ = try Self.irqbench(["run", "--trace", trace, "--out", "a.csv", "--quiet"], in: d)
        _ = try Self.irqbench(["run", "--trace", trace, "--out", "b.csv", "--quiet", "--param", "service=7000"], in: d)
        let r = try Self.irqbench(["plot", "compare", "a.csv", "b.csv", "--out", "p/cmp.png"], in: d)
        #expect(r.status == 0, "\(r.stderr)")
        let written = r.stdout.split(separator: "\n").map(String.init)
        #expect(written.first == "p/cmp.png")
        #expect(written.contains("p/cmp-periodic-1khz-request_to_done.png"), "\(written)")
    }
    @Test func liveWritesHgrmFilesPerRepetition() throws {
        let d = try Self.scratch()
        let trace = Self.tracesDir.appendingPathComponent("periodic-1khz.pcap").path
        let r = try Self.irqbench(["live", "--trace", trace, "--strategy", "guest-end", "--duration", "0.3", "--reps", "2",
                                   "--out", "l.csv", "--quiet", "--hgrm", "h"], in: d)
        #expect(r.status == 0, "\(r.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: d.appendingPathComponent("h").path)
        for rep in 0..<2 {
            let name = "periodic-1khz.pcap.guest-end.rep\(rep).request_to_guest.hgrm"
            #expect(names.contains(name), "\(names)")
            let text = try String(contentsOf: d.appendingPathComponent("h/\(name)"), encoding: .utf8)
            #expect(text.hasPrefix("       Value     Percentile TotalCount 1/(1-Percentile)\n\n"))
            #expect(text.contains("#[Buckets = "))
        }
    }

    /// `generate --shape nic-nc` is the flag form its --help gives, byte for byte.
    @Test func generateShapeIsItsFlagForm() throws {
        let d = try Self.scratch()
        let a = try Self.irqbench(["generate", "--shape", "nic-nc", "--records", "3000", "--seed", "5", "--out", "a.pcap"], in: d)
        let b = try Self.irqbench(["generate", "--pattern", "poisson", "--rate", "333333.3333333333", "--long-gap-share", "0.1",
                                   "--long-gap-mean", "100000", "--count", "1,2,4", "--records", "3000", "--seed", "5",
                                   "--out", "b.pcap"], in: d)
        #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
        let x = try Data(contentsOf: d.appendingPathComponent("a.pcap"))
        #expect(x.count == 24 + 3000 * 24)
        #expect(x == (try Data(contentsOf: d.appendingPathComponent("b.pcap"))))
        let bad = try Self.irqbench(["generate", "--shape", "nic-nc", "--rate", "5", "--out", "c.pcap"], in: d)
        #expect(bad.status != 0 && bad.stderr.contains("--shape"))
        let unknown = try Self.irqbench(["generate", "--shape", "nope", "--out", "c.pcap"], in: d)
        #expect(unknown.status != 0 && unknown.stderr.contains("unknown shape"))
    }
}
