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
        #expect(svg.contains("<svg") && svg.contains("host-end (n=902)"))
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
