import ArgumentParser
import Foundation
import IRQCore
import IRQReplay
import IRQResults
import IRQRun
import IRQTrace

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure replay speed (wall clock) and write it as a results CSV for irqbench compare.",
        discussion: """
            Replays native traces under each strategy with warm-up and repetitions, and writes one \
            `wall` row per repetition: requests_per_sec, events_per_sec (simulated happenings), \
            events_per_request (happenings per request: a coalescing workload needs few, so read \
            requests/s beside it), ns_per_request and replay_read_ratio (replay time over plainly \
            reading the same file with libpcap), plus the baseline itself (strategy libpcap-read: \
            records_per_sec, ns_per_record). `irqbench compare old.csv new.csv` judges them \
            statistically.

            What is timed is the replay proper: the trace is opened first (its first pass and \
            sha256 are not timed), then ReplayEngine.run streams the records from the file through \
            libpcap and simulates them.

            Without --trace, every named workload shape is generated (--records requests each, \
            --seed; written to --trace-dir and reused) and replayed with its own parameters and \
            source settings (--param and --sources given here apply on top): \
            \(BenchTraces.Shape.allCases.map { "\($0.rawValue): \($0.summary)" }.joined(separator: "; ")). \
            --shape picks some of them (and adds them to --trace files). With --rss, the peak RSS \
            of a guest-end replay of NIC-like traces of each --rss-sizes size is measured, each in \
            a fresh process.
            """)

    @Option(name: .customLong("trace"), help: ArgumentHelp("A native trace to replay (repeatable). Without it, the named workload shapes (--shape) are generated and replayed.", valueName: "path"))
    var traces: [String] = []

    @Option(help: ArgumentHelp("Workload shapes to generate and replay, comma-separated, or all (the default without --trace): \(BenchTraces.Shape.allCases.map(\.rawValue).joined(separator: ", ")).",
                               valueName: "list"))
    var shape: String?

    @Option(help: ArgumentHelp("Requests in each generated trace.", valueName: "n"))
    var records: Int = 1_000_000

    @Option(help: ArgumentHelp("Seed of the generated traces.", valueName: "n"))
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Where generated traces are written (and reused).", valueName: "dir"))
    var traceDir: String = (NSTemporaryDirectory() as NSString).appendingPathComponent("irqbench-bench")

    @Option(help: ArgumentHelp("Untimed warm-up rounds.", valueName: "n"))
    var warmup: Int = 1

    @Option(help: ArgumentHelp("Measured rounds (one rep row each).", valueName: "n"))
    var repetitions: Int = 5

    @OptionGroup var scenario: ScenarioOptions

    @Flag(help: "Also measure peak RSS of guest-end replays of NIC-like traces of each --rss-sizes size (each in its own process).")
    var rss = false

    @Option(help: ArgumentHelp("Trace sizes (requests) for --rss, comma-separated.", valueName: "n,n"))
    var rssSizes: String = "10000,10000000"

    @Option(help: ArgumentHelp("Results CSV to write. Default: results/<commit>-bench.csv.", valueName: "file.csv"))
    var out: String?

    /// Internal: replay one trace guest-end in this process and print its peak RSS (KiB).
    @Option(help: .hidden)
    var rssChild: String?

    func validate() throws {
        guard warmup >= 0 else { throw ValidationError("--warmup must be >= 0") }
        guard repetitions >= 1 else { throw ValidationError("--repetitions must be >= 1") }
        guard records >= 1 else { throw ValidationError("--records must be >= 1") }
        for t in traces where !FileManager.default.fileExists(atPath: t) {
            throw ValidationError("--trace \(t): no such file")
        }
        _ = try sizes()
        _ = try shapes()
    }

    /// The shapes asked for: --shape, else all of them unless --trace files are given.
    func shapes() throws -> [BenchTraces.Shape] {
        guard let list = shape else { return traces.isEmpty ? BenchTraces.Shape.allCases : [] }
        if list == "all" { return BenchTraces.Shape.allCases }
        return try list.split(separator: ",").map { name in
            guard let s = BenchTraces.Shape(rawValue: String(name)) else {
                throw ValidationError("--shape: unknown shape '\(name)' (known: \(BenchTraces.Shape.allCases.map(\.rawValue).joined(separator: ", ")), all)")
            }
            return s
        }
    }

    /// A shape's configuration: its parameters under --param, its source settings unless
    /// --sources is given, and the strategies asked for that its controllers can run.
    func config(for shape: BenchTraces.Shape, base: BenchConfig) throws -> BenchConfig {
        var c = base
        c.scenario = try scenario.scenario(base: shape.params)
        if scenario.sources == nil, let json = shape.sourcesJSON {
            c.sources = try SourceSettings.parse(json: Data(json.utf8), file: "shape \(shape.rawValue)")
            c.sourcesSHA256 = try FileDigest.sha256Hex(text: json)
        }
        c.strategies = try scenario.strategies(scenario: c.scenario, sources: c.sources)
        return c
    }

    func sizes() throws -> [Int] {
        let s = rssSizes.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !s.isEmpty, s.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw ValidationError("--rss-sizes: expected positive counts separated by commas")
        }
        return s.map { $0! }
    }

    func run() throws {
        var config = BenchConfig()
        config.scenario = try scenario.scenario()
        config.platform = try scenario.preset()
        (config.sources, config.sourcesSHA256) = try scenario.sourceSettings()
        config.strategies = try scenario.strategies()
        config.warmup = warmup
        config.repetitions = repetitions
        config.commit = toolCommit()

        if let path = rssChild {
            let b = try Bench.replay(path: path, strategy: .guestEnd, config: config)
            print("\(b.requests) \(Bench.peakRSSKiB())")
            return
        }

        var runs: [(path: String, config: BenchConfig)] = []
        for p in traces {
            let format = try TraceFormat.detect(path: p).format
            guard format == .native else {
                throw ValidationError("\(p): bench replays native traces (this one is \(format)); convert it first")
            }
            runs.append((p, config))
        }
        for s in try shapes() {
            printError("generating \(s.rawValue) trace (\(records) requests, seed \(seed)) in \(traceDir)")
            runs.append((try s.write(records: records, seed: seed, directory: traceDir), try self.config(for: s, base: config)))
        }

        var rows: [ResultRow] = []
        var table: [[String]] = [["trace", "strategy", "requests/s", "events/request", "events/s", "ns/request", "replay/read"]]
        for (p, config) in runs {
            let r = try Bench.run(trace: p, config: config) { printError($0) }
            rows += r.rows
            let name = URL(fileURLWithPath: p).lastPathComponent
            let readSeconds = Bench.median(r.reads.map(\.seconds))
            table.append([name, Bench.readBaselineStrategy, Bench.format(Bench.median(r.reads.map(\.recordsPerSecond))),
                          "", "", Bench.format(Bench.median(r.reads.map(\.nsPerRecord))), "1.000"])
            for s in config.strategies {
                let xs = r.samples[s] ?? []
                table.append([name, s.rawValue, Bench.format(Bench.median(xs.map(\.requestsPerSecond))),
                              Bench.format(Bench.median(xs.map(\.eventsPerRequest))),
                              Bench.format(Bench.median(xs.map(\.eventsPerSecond))),
                              Bench.format(Bench.median(xs.map(\.nsPerRequest))),
                              Bench.format(Bench.median(xs.map(\.seconds)) / readSeconds)])
            }
        }

        if rss {
            for n in try sizes() {
                let path = try BenchTraces.writeNICLike(records: n, seed: seed, directory: traceDir)
                printError("peak RSS: guest-end replay of \(n) requests in a fresh process")
                let (requests, kib) = try rssOfChild(path: path)
                let name = URL(fileURLWithPath: path).lastPathComponent
                rows.append(ResultRow(commit: config.commit, trace: name, traceSHA256: try FileDigest.sha256Hex(path: path),
                                      params: config.paramsDescription, strategy: EndStrategy.guestEnd.rawValue,
                                      kind: .wall, metric: "peak_rss_kib", rep: 0, value: String(kib)))
                table.append([name, "guest-end", "peak RSS \(kib) KiB", "\(requests) requests", "", "", ""])
            }
        }

        let outPath = out ?? "results/\(config.commit)-bench.csv"
        try writeFileAtomically(ResultsCSV.render(rows), to: outPath)
        print(renderColumns(table))
        print("(medians of \(repetitions) repetitions after \(warmup) warm-up)")
        print("results: \(outPath) (\(rows.count) rows)")
    }

    /// Runs this executable with --rss-child in a fresh process, so the peak covers one replay only.
    func rssOfChild(path: String) throws -> (requests: UInt64, kib: Int) {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        var args = ["bench", "--rss-child", path]
        for param in scenario.params { args += ["--param", param] }
        if let s = scenario.sources { args += ["--sources", s] }
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let fields = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard p.terminationStatus == 0, fields.count == 2, let n = UInt64(fields[0]), let kib = Int(fields[1]) else {
            throw ValidationError("peak RSS probe of \(path) failed (exit \(p.terminationStatus))")
        }
        return (n, kib)
    }
}
