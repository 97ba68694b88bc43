import Foundation
import Testing
@testable import IRQResults

private let gnuplotMissing = "gnuplot is not installed (apt-get install -y gnuplot-nox): plot rendering not tested"

func scratchDirectory() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("irqresults-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.path
}

/// A synthetic replay: guest-end steady at 1 irq/ms, host-end storming between 20 ms and 30 ms.
let syntheticSeries = [
    RateSeries(strategy: "guest-end", bucketNs: 1_000_000, counts: [UInt32](repeating: 1, count: 50)),
    RateSeries(strategy: "host-end", bucketNs: 1_000_000,
               counts: (0..<50).map { $0 >= 20 && $0 < 30 ? 1600 : 2 }),
]

func isPNG(_ path: String) -> Bool {
    guard let d = FileManager.default.contents(atPath: path), d.count > 1000 else { return false }
    return Array(d.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
}

struct PlotScriptTests {
    @Test func rateScriptHasOneStepLinePerStrategyAndNamesThePeak() {
        let s = Plots.rateScript(title: "t", series: syntheticSeries, logY: false)
        #expect(s.data.keys.sorted() == ["rate0.dat", "rate1.dat"])
        #expect(s.body.contains("title 'host-end (peak 1600 at 20 ms-30 ms)'"))
        #expect(s.data["rate1.dat"]!.contains("\n20.0 1600\n"))
    }

    @Test func peakWindow() throws {
        let w = try #require(syntheticSeries[1].peakWindow())
        #expect(w.startNs == 20_000_000 && w.endNs == 30_000_000 && w.peak == 1600)
        #expect(RateSeries(strategy: "x", bucketNs: 1, counts: [0, 0]).peakWindow() == nil)
    }

    @Test func rateSeriesCSVRoundTrip() throws {
        let text = RateSeriesCSV.render(syntheticSeries)
        #expect(try RateSeriesCSV.parse(text, file: "r") == syntheticSeries)
    }

    @Test func rateScriptShadesTheStormAndKeepsTheLegendInside() {
        let s = Plots.rateScript(title: "t", series: syntheticSeries, logY: false)
        #expect(s.body.contains("set object 1 rect from 20.0, graph 0 to 30.0, graph 1"))
        #expect(!s.body.contains("set object 2 "))
        #expect(s.body.contains("title 'storm: host-end at half its peak (1600) or more'"))
        #expect(s.body.contains("set key inside right top"))
        // Headroom for the legend: the axis goes half again above the highest peak.
        #expect(s.body.contains("set yrange [0:2400.0]"))
    }

    /// Rates that differ little are no storm: nothing is shaded.
    @Test func noStormNoShading() {
        let calm = [RateSeries(strategy: "a", bucketNs: 1_000_000, counts: [3, 3, 2]),
                    RateSeries(strategy: "b", bucketNs: 1_000_000, counts: [1, 1, 1])]
        let s = Plots.rateScript(title: "t", series: calm, logY: true)
        #expect(!s.body.contains("set object") && !s.body.contains("storm"))
    }

    /// Every line of a picture differs from the others in colour, dash and point type, and the
    /// earlier ones are wider (drawn first, they stay visible around the later ones).
    @Test func lineStylesAllDiffer() {
        let styles = (0..<5).map { Plots.LineStyle($0, of: 5) }
        #expect(Set(styles.map(\.color)).count == 5)
        #expect(Set(styles.map(\.dash)).count == 5)
        #expect(Set(styles.map(\.point)).count == 5)
        #expect(zip(styles, styles.dropFirst()).allSatisfy { $0.width > $1.width })
    }

    /// Curves from results rows: the percentile marks are the rows' own p50/p99/p999 (exact)
    /// when there is one of each, else the bound of the bucket holding them.
    @Test func cdfMarksThePercentilesOfTheRows() throws {
        let t = ResultRow(commit: "c", trace: "nic.pcap", traceSHA256: "s", params: "", strategy: "guest-end",
                          kind: .sim, metric: "", value: "")
        let samples = [UInt64](repeating: 3350, count: 990) + [9000, 9000, 9000, 9000, 9000, 9000, 9000, 9000, 9000, 40_000]
        var rows = LatencyBuckets.resultRows(name: "request_to_done", template: t, recorded: samples.map { ($0, 1) })
        for (suffix, value) in [("p50", "3350"), ("p99", "3350"), ("p999", "9000"), ("max", "40000")] {
            var r = t
            r.metric = "request_to_done_" + suffix
            r.value = value
            rows.append(r)
        }
        let groups = Plots.histogramGroups(rows)
        #expect(groups.count == 1 && groups[0].group.name == "request_to_done")
        let exact = Plots.curve(label: "guest-end", name: "request_to_done", rows: groups[0].rows)
        #expect(exact.percentiles.map(\.ns) == [3350, 3350, 9000])
        let bucketed = Plots.curve(label: "guest-end", name: "request_to_done", rows: groups[0].rows + groups[0].rows)
        #expect(bucketed.percentiles.map(\.ns) == [3391, 3391, 9215])   // two runs summed: bucket bounds
        let s = Plots.latencyCDFScript(title: "t", curves: [exact], tail: false)
        #expect(s.data["marks0.dat"] == "# latency_ns level level_above\n3350 0.5 0.5\n3350 0.99 0.010000000000000009\n9000 0.999 0.0010000000000000009\n")
        #expect(s.body.contains("title 'guest-end  n=1000  p50 3.35 us  p99 3.35 us  p99.9 9 us'"))
        #expect(s.body.contains("set key inside right bottom"))
        #expect(s.body.contains("set logscale x 10") && s.body.contains("set multiplot"))
        // The CDF rises inside each non-empty bucket: 3350 lies in 3328...3391.
        #expect(s.data["cdf0.dat"]!.contains("\n3328.0 0.0 1.0\n3391.0 0.99 "))
    }

    @Test func cdfFileNamesSayTheParameters() {
        let sets = ["", "irqchip=gicv2", "irqchip=aplic-msi;guest_irqchip=vaplic-msi"]
        #expect(Plots.fileNamePart(params: "", index: 0, among: sets) == "")
        #expect(Plots.fileNamePart(params: "irqchip=gicv2", index: 1, among: sets) == "-irqchip-gicv2")
        #expect(Plots.fileNamePart(params: sets[2], index: 2, among: sets) == "-irqchip-aplic-msi_guest_irqchip-vaplic-msi")
        // Too long for a file name, or spelled like another set: the position instead.
        let long = "service=2000;vcpu_period=1000000;vcpu_budget=500000;harts=2"
        #expect(Plots.fileNamePart(params: long, index: 1, among: ["", long]) == "-p1")
        #expect(Plots.fileNamePart(params: "a=b/c", index: 0, among: ["a=b/c", "a=b+c"]) == "-p0")
        #expect(Plots.fileNamePart(params: "a=b/c", index: 0, among: ["a=b/c", "x=1"]) == "-a-b+c")
    }

    @Test func gnuplotStringsAreQuoted() {
        #expect(Gnuplot.quote("it's") == "'it''s'")
    }
}

@Suite(.enabled(if: Gnuplot.locate() != nil, Comment(rawValue: gnuplotMissing)))
struct GnuplotRenderTests {
    @Test func rateOverTimePNG() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = dir + "/rate.png"
        try Plots.rate(title: "physical IRQ rate: synthetic storm", series: syntheticSeries, format: .png, to: out)
        #expect(isPNG(out))
    }

    @Test func latencyCDFsFromResultsRows() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var rows: [ResultRow] = []
        for (strategy, samples) in [("guest-end", [UInt64](repeating: 3350, count: 90) + [9000, 40_000]),
                                    ("host-end", [UInt64](repeating: 150, count: 900) + [2050, 28_050])] {
            rows += LatencyBuckets.resultRows(name: "claim_to_complete",
                template: ResultRow(commit: "c", trace: "traces/nic.pcap", traceSHA256: "s", params: "", strategy: strategy,
                                    kind: .sim, metric: "", value: ""),
                recorded: samples.map { (value: $0, count: UInt64(1)) })
        }
        let written = try Plots.latencyCDFs(rows: rows, directory: dir, format: .png)
        #expect(written == [dir + "/nic-claim_to_complete-cdf.png"])
        #expect(isPNG(written[0]))
        let tail = try Plots.latencyCDFs(rows: rows, directory: dir, tail: true, format: .svg)
        let svg = try String(contentsOfFile: tail[0], encoding: .utf8)
        #expect(svg.contains("<svg") && svg.contains("host-end  n=902  p50 151 ns"))
    }

    @Test func aStrategyThatLosesRequestsSaysSoInTheLegend() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let template = ResultRow(commit: "c", trace: "t.pcap", traceSHA256: "s", params: "irqchip=aplic-msi",
                                 strategy: "host-end-noretrigger", kind: .sim, metric: "", value: "")
        var rows = LatencyBuckets.resultRows(name: "request_to_done", template: template, recorded: [(value: 3000, count: 2)])
        rows += LatencyBuckets.resultRows(name: "claim_to_complete", template: template, recorded: [(value: 150, count: 2)])
        var lost = template
        lost.metric = "unserved_requests"
        lost.value = "5"
        rows.append(lost)
        let written = try Plots.latencyCDFs(rows: rows, directory: dir, tail: true, format: .svg)
        let byName = Dictionary(uniqueKeysWithValues: try written.map { ($0, try String(contentsOfFile: $0, encoding: .utf8)) })
        let done = try #require(byName.first { $0.key.hasSuffix("-request_to_done-tail.svg") }?.value)
        #expect(done.contains("(5 never served)"))
        // claim_to_complete is not a request's latency: nothing to say there.
        let c2c = try #require(byName.first { $0.key.hasSuffix("-claim_to_complete-tail.svg") }?.value)
        #expect(!c2c.contains("never served"))
    }

    @Test func comparisonBarsPNG() throws {
        let r = compareResults(old: simRows(), new: simRows(overrides: ["host-end/physical_irqs": "60", "guest-end/request_to_guest_p999": "700"]))
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = dir + "/compare.png"
        try Plots.comparisonBars(title: "before/after", report: r, format: .png, to: out)
        #expect(isPNG(out))
    }

    @Test func gnuplotErrorsAreReported() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = dir + "/bad.png"
        #expect(throws: PlotError.self) { try Gnuplot.render(body: "plot 'missing.dat' using 1:2", data: [:], format: .png, to: out) }
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}

struct GnuplotMissingTests {
    @Test func missingGnuplotSaysWhatToInstall() {
        #expect(Gnuplot.locate(environment: ["PATH": "/nonexistent"]) == nil)
        #expect(Gnuplot.missingMessage.contains("apt-get install -y gnuplot-nox"))
    }
}
