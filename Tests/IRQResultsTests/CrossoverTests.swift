import Foundation
import IRQResults
import Testing

/// Crossover detection on hand-made results whose answer is known: who wins at each point, where
/// the winner changes, where a strategy beats the baseline, in words, tables, markdown, CSV and
/// plot scripts.
struct CrossoverTests {
    /// Results CSV text for one metric: `values[strategy]` lists the value at each params text.
    static func csv(metric: String, trace: String = "t.pcap", _ points: [(params: String, values: [String: String])],
                    strategies: [String] = ["host-end", "guest-end"]) -> String {
        var out = "schema,commit,trace,trace_sha256,params,strategy,kind,metric,rep,value\n"
        for p in points {
            for s in strategies {
                // A metric of no interest next to it, as in a real file.
                out += "1,c,\(trace),ab,\(p.params),\(s),sim,requests,0,100\n"
                out += "1,c,\(trace),ab,\(p.params),\(s),sim,\(metric),0,\(p.values[s] ?? "")\n"
            }
        }
        return out
    }

    static func report(_ text: String, metric: String, over: String?, baseline: String? = nil) throws -> CrossoverReport {
        try Crossover.analyse(rows: ResultsCSV.parse(text, file: "x.csv"), metric: metric, over: over, baseline: baseline)
    }

    /// host-end grows with service, guest-end does not: host-end wins up to 2000, guest-end from 4000.
    static let serviceSweep = csv(metric: "request_to_done_p99", [
        ("service=8000", ["host-end": "800", "guest-end": "300"]),   // out of order on purpose
        ("service=1000", ["host-end": "100", "guest-end": "300"]),
        ("service=2000", ["host-end": "200", "guest-end": "300"]),
        ("service=4000", ["host-end": "400", "guest-end": "300"]),
    ])

    @Test func namesTheBestAtEachPointInValueOrder() throws {
        let r = try Self.report(Self.serviceSweep, metric: "request_to_done_p99", over: "service")
        #expect(r.direction == .lowerIsBetter)
        #expect(r.slices.count == 1)
        let s = r.slices[0]
        #expect(s.points.map(\.value) == ["1000", "2000", "4000", "8000"])
        #expect(s.points.map(\.best) == [["host-end"], ["host-end"], ["guest-end"], ["guest-end"]])
        #expect(s.points.map(\.bestValue) == [100, 200, 300, 300])
        #expect(s.changes == [.init(from: ["host-end"], to: ["guest-end"], before: "2000", after: "4000")])
    }

    @Test func saysWhereEachStrategyBeatsTheBaseline() throws {
        let r = try Self.report(Self.serviceSweep, metric: "request_to_done_p99", over: "service", baseline: "host-end")
        #expect(r.slices[0].wins.map(\.sentence) == [
            "guest-end beats host-end on request_to_done_p99 once service >= 4000 (the change lies between 2000 and 4000)"])
        let back = try Self.report(Self.serviceSweep, metric: "request_to_done_p99", over: "service", baseline: "guest-end")
        #expect(back.slices[0].wins.map(\.sentence) == [
            "host-end beats guest-end on request_to_done_p99 while service <= 2000 (the change lies between 2000 and 4000)"])
    }

    @Test(arguments: [
        (["1", "2", "3"], "g beats h on m at every swept p (1 to 3)"),
        (["9", "9", "9"], "g beats h on m at no swept p (1 to 3)"),
        (["1", "9", "1"], "g beats h on m for p in 1, 3 (of 1 to 3)"),
        (["9", "1", "9"], "g beats h on m for p in 2 (of 1 to 3)"),
    ])
    func winSentences(guestValues: [String], sentence: String) throws {
        let text = Self.csv(metric: "request_to_done_p99", (0..<3).map { i in
            ("p=\(i + 1)", ["h": "5", "g": guestValues[i]])
        }, strategies: ["h", "g"])
        let r = try Self.report(text, metric: "request_to_done_p99", over: "p", baseline: "h")
        #expect(r.slices[0].wins.first?.sentence == sentence.replacingOccurrences(of: " on m ", with: " on request_to_done_p99 "))
    }

    @Test func tiesShareTheWin() throws {
        let text = Self.csv(metric: "storm_irqs", [("service=1", ["host-end": "40", "guest-end": "0", "hw-eoi": "0"]),
                                                  ("service=2", ["host-end": "0", "guest-end": "0", "hw-eoi": "0"])],
                            strategies: ["host-end", "guest-end", "hw-eoi"])
        let r = try Self.report(text, metric: "storm_irqs", over: "service")
        #expect(r.slices[0].points.map(\.best) == [["guest-end", "hw-eoi"], ["host-end", "guest-end", "hw-eoi"]])
        // guest-end and hw-eoi are best on both sides: host-end joining them is no crossover.
        #expect(r.slices[0].changes.isEmpty)
        let swap = Self.csv(metric: "storm_irqs", [("service=1", ["host-end": "1", "guest-end": "0"]),
                                                   ("service=2", ["host-end": "0", "guest-end": "0"]),
                                                   ("service=3", ["host-end": "0", "guest-end": "1"])])
        let w = try Self.report(swap, metric: "storm_irqs", over: "service")
        // guest-end leads, ties with host-end, then host-end alone: one crossover, after the tie.
        #expect(w.slices[0].changes == [.init(from: ["guest-end"], to: ["host-end"], before: "2", after: "3")])
    }

    /// The leader is followed through ties: a, b, c tie; a and c; c alone; a and c again; a alone.
    /// c led since point 3 and is not among the winners at 5: one crossover, from c to a.
    @Test func theLeaderIsFollowedThroughTies() throws {
        let values: [[String: String]] = [["a": "1", "b": "1", "c": "1"], ["a": "1", "b": "2", "c": "1"], ["a": "2", "b": "2", "c": "1"],
                                          ["a": "1", "b": "2", "c": "1"], ["a": "1", "b": "2", "c": "2"]]
        let text = Self.csv(metric: "hyp_busy", values.enumerated().map { ("n=\($0.offset + 1)", $0.element) }, strategies: ["a", "b", "c"])
        let r = try Self.report(text, metric: "hyp_busy", over: "n")
        #expect(r.slices[0].changes == [.init(from: ["c"], to: ["a"], before: "4", after: "5")])
    }

    @Test func higherIsBetterMetricsPickTheLargest() throws {
        let text = Self.csv(metric: "replays_per_sec", [("n=1", ["host-end": "10", "guest-end": "20"])])
        let r = try Self.report(text, metric: "replays_per_sec", over: "n")
        #expect(r.direction == .higherIsBetter && r.slices[0].points[0].best == ["guest-end"])
    }

    @Test func emptyValuesNeverWin() throws {
        let text = Self.csv(metric: "host_latency_p99", [("n=1", ["host-end": "", "guest-end": "7"]), ("n=2", [:])])
        let r = try Self.report(text, metric: "host_latency_p99", over: "n")
        #expect(r.slices[0].points.map(\.best) == [["guest-end"], []])
        #expect(r.slices[0].changes.isEmpty, "no change to or from a point without values")
    }

    /// Other parameters make slices; text values keep the order they were swept in.
    @Test func otherParametersMakeSlicesAndTextValuesKeepTheirOrder() throws {
        let text = Self.csv(metric: "request_to_done_p99", [
            ("irqchip=plic;harts=1", ["host-end": "1", "guest-end": "2"]),
            ("irqchip=aplic-msi;harts=1", ["host-end": "3", "guest-end": "2"]),
            ("irqchip=plic;harts=2", ["host-end": "1", "guest-end": "2"]),
            ("irqchip=aplic-msi;harts=2", ["host-end": "1", "guest-end": "2"]),
        ])
        let r = try Self.report(text, metric: "request_to_done_p99", over: "irqchip", baseline: "host-end")
        #expect(r.slices.map(\.others) == ["harts=1", "harts=2"])
        #expect(r.slices[0].points.map(\.value) == ["plic", "aplic-msi"])
        #expect(r.slices[0].wins.map(\.sentence) == ["guest-end beats host-end on request_to_done_p99 when irqchip is aplic-msi"])
        #expect(r.slices[1].changes.isEmpty)
        let rows = try ResultsCSV.parse(text, file: "x")
        #expect(Crossover.sweptParameters(rows) == ["irqchip", "harts"])
    }

    @Test func refusesMetricsWithoutADirectionAndUnknownNames() throws {
        #expect(throws: CrossoverError.self) { try Self.report(Self.serviceSweep, metric: "guest_interrupts", over: "service") }
        #expect(throws: CrossoverError.self) { try Self.report(Self.serviceSweep, metric: "request_to_done_p99", over: "budget") }
        #expect(throws: CrossoverError.self) {
            try Self.report(Self.serviceSweep, metric: "request_to_done_p99", over: "service", baseline: "hw-eoi")
        }
        // Two values at one point (two files concatenated) is ambiguous.
        let doubled = Self.serviceSweep + Self.serviceSweep.split(separator: "\n").dropFirst().joined(separator: "\n") + "\n"
        #expect(throws: CrossoverError.self) { try Self.report(doubled, metric: "request_to_done_p99", over: "service") }
    }

    @Test func csvHasALinePerPoint() throws {
        let r = try Self.report(Self.serviceSweep, metric: "request_to_done_p99", over: "service", baseline: "host-end")
        #expect(CrossoverRendering.render([r], format: .csv) == """
            trace,others,metric,param,value,best,best_value,changed_from,beats_baseline,host-end,guest-end
            t.pcap,,request_to_done_p99,service,1000,host-end,100,,,100,300
            t.pcap,,request_to_done_p99,service,2000,host-end,200,,,200,300
            t.pcap,,request_to_done_p99,service,4000,guest-end,300,host-end,guest-end,400,300
            t.pcap,,request_to_done_p99,service,8000,guest-end,300,,guest-end,800,300

            """)
    }

    @Test func tableAndMarkdownShowPointsAndSentences() throws {
        let r = try Self.report(Self.serviceSweep, metric: "request_to_done_p99", over: "service", baseline: "host-end")
        let table = CrossoverRendering.render([r], format: .table)
        #expect(table.contains("service  host-end  guest-end  best"))
        #expect(table.contains("4000          400        300  guest-end"))
        #expect(table.contains("  - best changes from host-end to guest-end between service=2000 and service=4000"))
        let md = CrossoverRendering.render([r], format: .markdown)
        #expect(md.contains("| service | host-end | guest-end | best |\n|---|---:|---:|---|\n| 1000 | 100 | 300 | **host-end** |"))
        #expect(md.contains("- guest-end beats host-end on request_to_done_p99 once service >= 4000"))
    }

    @Test func readsOnlyTheMetricFromAFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("crossover-\(UUID().uuidString).csv").path
        try Self.serviceSweep.write(toFile: path, atomically: true, encoding: .utf8)
        let rows = try Crossover.rows(path: path, metric: "request_to_done_p99")
        #expect(rows.count == 8 && rows.allSatisfy { $0.metric == "request_to_done_p99" })
    }

    // MARK: pictures

    @Test func crossoverPlotMarksTheChangeMidwayOnALogAxis() throws {
        let r = try Self.report(Self.serviceSweep, metric: "request_to_done_p99", over: "service")
        let s = Plots.crossoverScript(report: r, slice: r.slices[0])
        // 1000 to 8000 is under 20x: linear x, midpoint 3000; values 100..800 span 8x: linear y.
        #expect(!s.body.contains("logscale"))
        #expect(s.body.contains("set arrow 1 from 3000.0, graph 0 to 3000.0, graph 1 nohead"))
        #expect(s.body.contains("'best: guest-end'"))
        #expect(s.data["s0.dat"] == "# service request_to_done_p99\n1000.0 100.0\n2000.0 200.0\n4000.0 400.0\n8000.0 800.0\n")

        let wide = Self.csv(metric: "request_to_done_p99", [
            ("service=100", ["host-end": "10", "guest-end": "300"]), ("service=10000", ["host-end": "4000", "guest-end": "300"])])
        let w = try Self.report(wide, metric: "request_to_done_p99", over: "service")
        let ws = Plots.crossoverScript(report: w, slice: w.slices[0])
        #expect(ws.body.contains("set logscale x 10") && ws.body.contains("set logscale y 10"))
        #expect(ws.body.contains("set arrow 1 from 1000.0, graph 0"), "geometric middle of 100 and 10000")
    }

    @Test func winMapLaysOutTheWinnersOnTheGrid() throws {
        // guest-end wins where service >= 4000 or budget is small; host-end elsewhere.
        var points: [(String, [String: String])] = []
        for budget in ["500000", "100000"] {
            for service in ["4000", "1000"] {
                let guestWins = service == "4000" || budget == "100000"
                points.append(("service=\(service);vcpu_budget=\(budget)", ["host-end": guestWins ? "9" : "1", "guest-end": "5"]))
            }
        }
        let rows = try ResultsCSV.parse(Self.csv(metric: "request_to_done_p99", points), file: "x")
        let maps = try Crossover.winMaps(rows: rows, metric: "request_to_done_p99", x: "service", y: "vcpu_budget")
        #expect(maps.count == 1)
        let m = maps[0]
        #expect(m.xValues == ["1000", "4000"] && m.yValues == ["100000", "500000"])
        #expect(m.best == [[["guest-end"], ["guest-end"]], [["host-end"], ["guest-end"]]])
        let s = Plots.winMapScript(m)
        // host-end keeps colour 0 (#1f77b4), guest-end colour 1 (#d62728), as in the line plots.
        #expect(s.data["map.dat"] == "# xi yi rgb\n0 0 \(0xd62728)\n1 0 \(0xd62728)\n0 1 \(0x1f77b4)\n1 1 \(0xd62728)\n")
        #expect(s.body.contains("set xtics ('1000' 0, '4000' 1)"))
        #expect(throws: CrossoverError.self) { try Crossover.winMaps(rows: rows, metric: "request_to_done_p99", x: "service", y: "service") }
    }
}
