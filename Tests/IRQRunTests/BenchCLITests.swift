import Foundation
import Testing

/// `irqbench bench` over the named workload shapes (issue 10): each shape replayed with its own
/// parameters and source settings, simulated happenings per request reported beside requests/s.
struct BenchCLITests {
    /// The rows of a bench results CSV, keyed by trace, strategy and metric (one repetition).
    static func values(_ csv: String) throws -> [String: Double] {
        var out: [String: Double] = [:]
        let lines = csv.split(separator: "\n").dropFirst()
        for line in lines {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            // schema,commit,trace,trace_sha256,params,strategy,kind,metric,rep,value
            let key = "\(f[2])|\(f[5])|\(f[7])"
            out[key] = Double(f[9])
        }
        return out
    }

    @Test func shapesReportHappeningsPerRequestWithTheirOwnParameters() throws {
        let d = try CLITests.scratch()
        let r = try CLITests.irqbench(["bench", "--shape", "nic-nc,mix", "--records", "2000", "--warmup", "0",
                                       "--repetitions", "1", "--trace-dir", "traces", "--out", "b.csv"], in: d)
        #expect(r.status == 0, "\(r.stderr)")
        let csv = try String(contentsOf: d.appendingPathComponent("b.csv"), encoding: .utf8)
        let v = try Self.values(csv)
        for (trace, strategies) in [("nic-nc-2000-seed1.pcap", ["host-end", "guest-end", "mask-unmask", "hw-eoi", "host-end-ratelimit"]),
                                    ("mix-2000-seed1.pcap", ["host-end", "guest-end", "mask-unmask", "hw-eoi", "host-end-ratelimit"])] {
            for s in strategies {
                let perRequest = try #require(v["\(trace)|\(s)|events_per_request"], "\(trace) \(s)")
                let perSecond = try #require(v["\(trace)|\(s)|events_per_sec"])
                let requests = try #require(v["\(trace)|\(s)|requests_per_sec"])
                // Every request is at least its own record, and the dispatch that takes it.
                #expect(perRequest > 2, "\(trace) \(s): \(perRequest)")
                // The same replay's counts: happenings/s over requests/s (3 decimals each).
                #expect(abs(perSecond / requests - perRequest) < 0.01 * perRequest, "\(trace) \(s)")
            }
        }
        // The mix shape runs on 2 harts with its source settings; nic-nc with the defaults.
        let mixRow = try #require(csv.split(separator: "\n").first { $0.contains("mix-2000-seed1.pcap") })
        #expect(mixRow.contains("harts=2"))
        #expect(mixRow.contains("sources="))
        let ncRow = try #require(csv.split(separator: "\n").first { $0.contains("nic-nc-2000-seed1.pcap") })
        #expect(!ncRow.contains("harts=2"))
        // The table on stdout has the column too.
        #expect(r.stdout.contains("events/request"))
    }

    @Test func hostEndStormsCostMoreHappeningsThanGuestEnd() throws {
        // docs/model.md §10: under host-end a request's service is one long storm (a dispatch
        // per guest_min_run), under guest-end it is one dispatch.
        let d = try CLITests.scratch()
        let r = try CLITests.irqbench(["bench", "--shape", "storm", "--records", "500", "--warmup", "0",
                                       "--repetitions", "1", "--strategy", "host-end,guest-end",
                                       "--trace-dir", "traces", "--out", "b.csv"], in: d)
        #expect(r.status == 0, "\(r.stderr)")
        let v = try Self.values(try String(contentsOf: d.appendingPathComponent("b.csv"), encoding: .utf8))
        let host = try #require(v["storm-500-seed1.pcap|host-end|events_per_request"])
        let guest = try #require(v["storm-500-seed1.pcap|guest-end|events_per_request"])
        #expect(host > 10 * guest, "host-end \(host), guest-end \(guest)")
    }

    @Test func unknownShapeIsOneLineError() throws {
        let d = try CLITests.scratch()
        let r = try CLITests.irqbench(["bench", "--shape", "nic-nc,wave", "--records", "10"], in: d)
        #expect(r.status != 0)
        #expect(r.stderr.contains("--shape: unknown shape 'wave'"))
        #expect(!FileManager.default.fileExists(atPath: d.appendingPathComponent("results").path))
    }
}
