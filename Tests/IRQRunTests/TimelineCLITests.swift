import Foundation
import Testing

/// `irqbench run --timeline` as a user runs it (docs/timeline.md): the file, --worst, the results
/// left as they are, and one clear line for each bad input.
struct TimelineCLITests {
    typealias CLI = CLITests

    /// Two level requests on source 1, the second after the first's vclaim effect (850) and before
    /// its service (1000): docs/model.md §10.1 and §12 choice 2.
    static let trace = "time_ns,source,kind,count\n0,1,level,1\n900,1,level,1\n"

    static func files(_ d: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: d.path).sorted()
    }

    @Test func writesEveryRequestAndServiceStart() throws {
        let d = try CLI.scratch()
        try Self.trace.write(to: d.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        let r = try CLI.irqbench(["run", "--trace", "t.csv", "--strategy", "guest-end", "--out", "r.csv", "--quiet",
                                  "--timeline", "out/tl.csv"], in: d)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("timeline: out/tl.csv (3 rows)"))
        // Hand-derived: claim 250 (hart 0), vclaim effect 850, one service 1000-3400 with n = 2
        // (2000 + 2 x 200); the second request rides on the first claim (no claim of its own).
        let text = try String(contentsOf: d.appendingPathComponent("out/tl.csv"), encoding: .utf8)
        #expect(text == """
            trace,params,strategy,kind,record,position,source,owner,hart,arrival,claim,guest_claim,start,done,n
            t.csv,,guest-end,service_start,,0,1,guest,0,,,,1000,,2
            t.csv,,guest-end,request,1,,1,guest,0,0,250,850,1000,3400,2
            t.csv,,guest-end,request,2,,1,guest,,900,,1000,1000,3400,2

            """)
        #expect(try Self.files(d.appendingPathComponent("out")) == ["tl.csv"], "no temporary file or part left")
    }

    /// Every controller configuration and strategy: the results file is byte-identical with and
    /// without --timeline, and each replay has one request row per record.
    @Test func resultsAreTheSameWithATimeline() throws {
        let d = try CLI.scratch()
        try Self.trace.write(to: d.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        let plain = try CLI.irqbench(["run", "--trace", "t.csv", "--controllers", "all", "--out", "a.csv", "--quiet",
                                      "--rate-dir", "ra"], in: d)
        let with = try CLI.irqbench(["run", "--trace", "t.csv", "--controllers", "all", "--out", "b.csv", "--quiet",
                                     "--rate-dir", "rb", "--timeline", "tl.csv"], in: d)
        #expect(plain.status == 0 && with.status == 0, "\(plain.stderr) \(with.stderr)")
        #expect(try Data(contentsOf: d.appendingPathComponent("a.csv")) == Data(contentsOf: d.appendingPathComponent("b.csv")))
        for f in try Self.files(d.appendingPathComponent("ra")) {
            #expect(try Data(contentsOf: d.appendingPathComponent("ra/\(f)")) == Data(contentsOf: d.appendingPathComponent("rb/\(f)")))
        }
        let lines = try String(contentsOf: d.appendingPathComponent("tl.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
        let results = try String(contentsOf: d.appendingPathComponent("a.csv"), encoding: .utf8).split(separator: "\n")
        let replays = Set(results.filter { $0.contains(",sim,requests,") }.map { line -> String in
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            return "\(f[4]),\(f[5])"  // params, strategy
        })
        #expect(replays.count > 10, "several controllers and strategies")
        for key in replays {
            let rows = lines.filter { l in
                let f = l.split(separator: ",", omittingEmptySubsequences: false)
                return "\(f[1]),\(f[2])" == key && f[3] == "request"
            }
            #expect(rows.map { $0.split(separator: ",", omittingEmptySubsequences: false)[4] } == ["1", "2"],
                    "\(key): one row per request")
        }
    }

    @Test func worstKeepsTheWorstRequestPerReplay() throws {
        let d = try CLI.scratch()
        try Self.trace.write(to: d.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        let r = try CLI.irqbench(["run", "--trace", "t.csv", "--strategy", "guest-end,host-end", "--out", "r.csv", "--quiet",
                                  "--timeline", "w.csv", "--worst", "1", "--worst-by", "request_to_guest"], in: d)
        #expect(r.status == 0, "\(r.stderr)")
        // guest-end: request 1 waits 850 for the guest, request 2 100. host-end (§10.2): the vclaim
        // effect is 2050 for both: 2050 against 1150.
        let text = try String(contentsOf: d.appendingPathComponent("w.csv"), encoding: .utf8)
        let rows = text.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.map { "\($0[2]) \($0[3]) \($0[4]) \($0[9]) \($0[11])" } == ["guest-end request 1 0 850", "host-end request 1 0 2050"])
    }

    /// A run that writes no results leaves an existing timeline file as it was, and no part files.
    @Test func aFailedRunLeavesTheOldFile() throws {
        let d = try CLI.scratch()
        try "time_ns,source,kind,count\n0,1,level\n".write(to: d.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
        try "old\n".write(to: d.appendingPathComponent("tl.csv"), atomically: true, encoding: .utf8)
        let r = try CLI.irqbench(["run", "--trace", "bad.csv", "--out", "r.csv", "--quiet", "--timeline", "tl.csv"], in: d)
        #expect(r.status != 0)
        #expect(try String(contentsOf: d.appendingPathComponent("tl.csv"), encoding: .utf8) == "old\n")
        #expect(try Self.files(d) == ["bad.csv", "tl.csv"], "no part or temporary file left")
    }

    /// Each bad input: a non-zero exit, exactly one error line naming the option, nothing written.
    @Test(arguments: [
        (["--timeline", "tl.csv", "--worst", "0"], "--worst 0"),
        (["--timeline", "tl.csv", "--worst", "2", "--worst-by", "request_to_nowhere"], "--worst-by"),
        (["--worst", "2"], "--worst needs --timeline"),
        (["--timeline", "tl.csv", "--worst-by", "host_latency"], "--worst-by needs --worst"),
        (["--timeline", "afile/tl.csv"], "--timeline afile/tl.csv: cannot write in afile: Not a directory"),
        (["--timeline", "./r.csv"], "--timeline and --out name the same file"),
    ])
    func badInputGivesOneClearLine(_ extra: [String], _ message: String) throws {
        let d = try CLI.scratch()
        try Self.trace.write(to: d.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        try "not a folder".write(to: d.appendingPathComponent("afile"), atomically: true, encoding: .utf8)
        let r = try CLI.irqbench(["run", "--trace", "t.csv", "--out", "r.csv", "--quiet"] + extra, in: d)
        #expect(r.status != 0)
        let errors = r.stderr.split(separator: "\n").filter { $0.lowercased().hasPrefix("error:") }
        #expect(errors.count == 1 && errors[0].contains(message), "\(r.stderr)")
        #expect(try Self.files(d) == ["afile", "t.csv"], "nothing written")
    }
}
