import Foundation
import IRQCore
import IRQReplay
import IRQResults
import IRQRun
import IRQTrace
import Testing

/// The replay's numbers, pinned: a SHA-256 per case of everything a replay reports (the results
/// CSV's `sim` rows with their histogram rows, and the per-ms rate series), for the PLIC model
/// (controller families add cases of their own; these stay as they are).
/// A change that makes replays faster must leave every digest as it is; a change of the model
/// on purpose updates Pins/model-digests.txt in the same commit and says why
/// (docs/performance.md, "Pinned results", has the command).
///
/// Cases: the main job (the shipped traces), the real recordings among the test fixtures, the
/// conformance vectors, every bench workload shape at 2,000 requests with its scenario, and
/// scenarios that exercise the rarer rules (vCPU schedule, rate limiter, zero-cost steps, IPIs,
/// host-owned sources, edge queues).
struct ModelPinTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let pinFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Pins/model-digests.txt")

    struct Case: Sendable {
        var name: String
        var traces: [String]
        var params: [String] = []
        var sourcesJSON: String? = nil
    }

    /// Files generated for the cases, once per test process.
    static let scratch: String = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("irqbench-pins-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static var cases: [Case] {
        let traces = path("traces")
        let real = path("Tests/IRQTraceTests/Fixtures/real")
        var all: [Case] = [
            Case(name: "main", traces: ["bursty.pcap", "nic-poisson.pcap", "periodic-1khz.pcap", "two-sources.pcap"]
                .map { "\(traces)/\($0)" }),
            Case(name: "recordings", traces: [
                "\(real)/pcapplusplus_many_interfaces-1.pcapng",
                "\(real)/pcapplusplus_nanosecs_big_endian.pcap", "\(real)/tcpdump_babel_update_oobr.pcap",
                "\(real)/tcpdump_tcp-handshake-nano.pcap",
            ]),
            Case(name: "vcpu-schedule", traces: [shapeTrace(.nicNC)], params: ["vcpu_period=100000", "vcpu_budget=30000"]),
            Case(name: "ratelimit", traces: ["\(traces)/bursty.pcap"],
                 params: ["ratelimit_count=5", "ratelimit_window=100000", "ratelimit_off=50000"]),
            Case(name: "zero-costs", traces: ["\(traces)/two-sources.pcap"],
                 params: ["trap_entry=1", "trap_exit=0", "inject=0", "claim_mmio=0", "complete_mmio=0", "vmmio=0",
                          "mask_mmio=0", "unmask_mmio=0", "guest_min_run=1"]),
            Case(name: "two-harts-host", traces: ["\(traces)/two-sources.pcap"], params: ["harts=2", "ipi=777"],
                 sourcesJSON: #"{"1": {"target_hart": 1}, "2": {"owner": "host", "priority": 3}}"#),
            Case(name: "slow-guest", traces: ["\(traces)/nic-poisson.pcap"],
                 params: ["service=50000", "per_unit=3000", "guest_min_run=500"]),
        ]
        for shape in BenchTraces.Shape.allCases {
            all.append(Case(name: "shape-\(shape.rawValue)", traces: [shapeTrace(shape)], params: shape.params,
                            sourcesJSON: shape.sourcesJSON))
        }
        all.append(Case(name: "edge-queue", traces: [shapeTrace(.mix)], params: ["edge_queue=3", "service=7000"]))
        let vectors = root.appendingPathComponent("Tests/IRQReplayTests/Vectors")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: vectors.path)) ?? [])
            .filter { !$0.hasSuffix(".md") }.sorted()
        for name in names {
            let dir = vectors.appendingPathComponent(name)
            let params = ((try? String(contentsOf: dir.appendingPathComponent("params.txt"), encoding: .utf8)) ?? "")
                .split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let sources = try? String(contentsOf: dir.appendingPathComponent("sources.json"), encoding: .utf8)
            all.append(Case(name: "vector-\(name)", traces: [dir.appendingPathComponent("trace.csv").path],
                            params: params, sourcesJSON: sources))
        }
        return all
    }

    static func shapeTrace(_ shape: BenchTraces.Shape) -> String {
        // Written on first use; the generator is deterministic, so a file already there is the same.
        (try? shape.write(records: 2_000, seed: 1, directory: scratch)) ?? "\(scratch)/missing-\(shape.rawValue)"
    }

    /// What a case reports, as the bytes the digest is taken of: exactly what `irqbench run`
    /// writes for it with `IRQBENCH_COMMIT=pin` (the results CSV, then each trace's rate series
    /// file of `--rate-dir`, by trace name), so a pin can be checked against any build's binary.
    static func report(_ c: Case, timeline: TimelineSpec? = nil) throws -> String {
        var config = SweepConfig()
        config.timeline = timeline
        for p in c.params {
            let eq = p.firstIndex(of: "=")!
            try config.scenario.set(String(p[..<eq]), String(p[p.index(after: eq)...]))
        }
        if let json = c.sourcesJSON {
            config.sources = try SourceSettings.parse(json: Data(json.utf8), file: "\(c.name).json")
            config.sourcesSHA256 = try FileDigest.sha256Hex(text: json)
        }
        config.strategies = EndStrategy.plicStrategies
        config.commit = "pin"
        config.jobs = 2
        let result = Sweep.run(traces: c.traces, config: config)
        #expect(result.failures.isEmpty, "\(c.name): \(result.failures.map(\.message))")
        #expect(result.outcomes.allSatisfy { ($0.timeline != nil) == (timeline != nil) })
        var text = ResultsCSV.render(result.resultRows(config: config))
        var series: [String: [RateSeries]] = [:]
        for o in result.outcomes {
            series[o.traceName, default: []].append(
                RateSeries(strategy: o.strategy.rawValue, bucketNs: o.rateBucketNs, counts: o.rateSeries))
        }
        for (_, s) in series.sorted(by: { $0.key < $1.key }) { text += RateSeriesCSV.render(s) }
        return text
    }

    static func pinned() throws -> [String: String] {
        let text = try String(contentsOf: pinFile, encoding: .utf8)
        var out: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let f = line.split(separator: " ")
            if f.count == 2 { out[String(f[0])] = String(f[1]) }
        }
        return out
    }

    static var caseNames: [String] { cases.map(\.name) }

    @Test(arguments: caseNames)
    func reportsWhatItsPinSays(_ name: String) throws {
        if ProcessInfo.processInfo.environment["IRQBENCH_UPDATE_PINS"] == "1" { return }
        let c = Self.cases.first { $0.name == name }!
        let digest = try FileDigest.sha256Hex(text: try Self.report(c))
        let pinned = try Self.pinned()
        #expect(pinned[name] == digest, "\(name): the replay's results changed (pinned \(pinned[name] ?? "none"), now \(digest)); if the model changed on purpose, see docs/performance.md, \"Pinned results\"")
    }

    /// Recording a timeline (streamed, or the worst few) changes nothing the replay reports
    /// (docs/timeline.md): the cases' digests stay as pinned.
    @Test(arguments: ["two-harts-host", "ratelimit", "edge-queue"])
    func timelineChangesNoResult(_ name: String) throws {
        if ProcessInfo.processInfo.environment["IRQBENCH_UPDATE_PINS"] == "1" { return }
        let c = Self.cases.first { $0.name == name }!
        let pinned = try Self.pinned()[name]
        for worst in [nil, 5] {
            let parts = try TimelineParts(target: "\(Self.scratch)/\(name)-\(worst ?? 0).timeline.csv")
            let spec = TimelineSpec(worst: worst, worstBy: .requestToDone, partsDirectory: parts.directory)
            #expect(try FileDigest.sha256Hex(text: try Self.report(c, timeline: spec)) == pinned, "\(name), --worst \(worst ?? 0)")
        }
    }

    @Test func everyCaseHasAPin() throws {
        #expect(Set(try Self.pinned().keys) == Set(Self.caseNames), "the cases and Pins/model-digests.txt list different cases")
    }

    /// `IRQBENCH_UPDATE_PINS=1 swift test --filter ModelPinTests` rewrites the pins from this build.
    @Test func updatePinsWhenAsked() throws {
        guard ProcessInfo.processInfo.environment["IRQBENCH_UPDATE_PINS"] == "1" else { return }
        var text = """
            # SHA-256 of each case's results (Tests/IRQRunTests/ModelPinTests.swift). Change only with a
            # change of the model on purpose, in the same commit (docs/performance.md, "Pinned results").

            """
        for c in Self.cases { text += "\(c.name) \(try FileDigest.sha256Hex(text: try Self.report(c)))\n" }
        try text.write(to: Self.pinFile, atomically: true, encoding: .utf8)
    }
}
