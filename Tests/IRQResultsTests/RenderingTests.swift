import Testing
@testable import IRQResults

struct RenderingTests {
    @Test func markdownForAPullRequest() {
        let r = compareResults(old: simRows(commit: "aaa"), new: simRows(commit: "bbb", overrides: ["host-end/physical_irqs": "52"]))
        let md = CompareRendering(oldLabel: "main", newLabel: "HEAD").render(r, format: .markdown)
        let lines = md.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "### irqbench compare: 1 regression")
        #expect(lines.contains("OLD: `main` (commit aaa)  "))
        #expect(lines.contains("| trace | strategy | metric | old | new | delta | % | p | verdict |"))
        #expect(lines.contains("|---|---|---|---:|---:|---:|---:|---:|:---:|"))
        #expect(lines.contains("| nic.pcap | host-end | physical_irqs | 47 | 52 | +5 | +10.64% |  | **worse** |"))
        #expect(lines.contains("<details><summary>All 14 compared metrics</summary>"))
        #expect(lines.last(where: { !$0.isEmpty }) == "Exit 1 (regression beyond threshold).")
        // Every table row has the header's 9 cells.
        for l in lines where l.hasPrefix("| ") { #expect(l.split(separator: "|", omittingEmptySubsequences: false).count == 11) }
    }

    @Test func markdownForIncomparableInputs() {
        let r = compareResults(old: simRows(), new: simRows(trace: "other.pcap"))
        let md = CompareRendering().render(r, format: .markdown)
        #expect(md.contains("**Not comparable:**\n\n- traces differ: only in OLD: nic.pcap; only in NEW: other.pcap\n"))
        #expect(md.hasSuffix("Exit 3 (inputs not comparable).\n"))
    }

    @Test func csvOutput() {
        let r = compareResults(old: simRows(), new: simRows(overrides: ["host-end/physical_irqs": "52"]))
        let csv = CompareRendering(onlyChanges: true).render(r, format: .csv)
        #expect(csv == CompareRendering.csvHeader + "\n"
            + "nic.pcap,,host-end,sim,physical_irqs,lower,47,52,5,10.6383,,1,1,0,worse\n"
            + "# exit 1: regression beyond threshold\n")
    }

    @Test func tableAlignsAndOmitsUnchangedRowsOnRequest() {
        let r = compareResults(old: simRows(), new: simRows(overrides: ["guest-end/storm_irqs": "2"]))
        let text = CompareRendering(onlyChanges: true).render(r, format: .table)
        #expect(text.contains("""
            trace nic.pcap
            strategy   metric      old  new  delta  percent  verdict
            guest-end  storm_irqs    0    2     +2   from 0  worse
            """))
    }

    @Test func numbers() {
        #expect(formatNumber(3350) == "3350")
        #expect(formatNumber(2.5) == "2.5")
        #expect(formatNumber(1.23456) == "1.235")
        #expect(formatDuration(UInt64(850)) == "850 ns")
        #expect(formatDuration(UInt64(28_050)) == "28.1 us")
        #expect(formatDuration(UInt64(2_000_000)) == "2 ms")
    }
}
