import Testing
import IRQTrace

/// /proc/interrupts before/after + duration: rows, rates, Poisson arrivals, spec parsing.
@Suite struct ImportProcInterruptsTests {
    static let before = ImportFixtures.real("wa_proc_interrupts_before.txt")
    static let after = ImportFixtures.real("wa_proc_interrupts_after.txt")

    /// Per-IRQ differences of the fixtures, summed over the 8 CPU columns (checked by hand).
    static let expected: [UInt32: UInt64] = [92: 90, 104: 105, 114: 1865, 149: 31, 152: 204, 153: 312, 154: 243,
                                            155: 123, 160: 8038, 161: 5920, 162: 5931, 163: 5899, 251: 8, 405: 5]

    @Test func snapshotRows() throws {
        let b = try ProcInterruptsSnapshot(path: Self.before)
        let a = try ProcInterruptsSnapshot(path: Self.after)
        #expect(b.cpus == Array(0..<8))
        // SOURCES.md says 95 and 96 rows: that count leaves out the `Err:` line; the files
        // hold 96 and 97 `LABEL:` rows (wc -l: 97 and 98 lines with the CPU header).
        #expect(b.rows.count == 96 && a.rows.count == 97)
        #expect(b.rows.filter { $0.irq != nil }.count == 89 && a.rows.filter { $0.irq != nil }.count == 90)
        #expect(a.rows.filter { $0.irq == nil }.map(\.label) == ["IPI0", "IPI1", "IPI2", "IPI3", "IPI4", "IPI5", "Err"])
        #expect(a.rows.first { $0.label == "Err" }?.counts == [0])
    }

    @Test func ratesAndExactCounts() throws {
        let r = try ProcInterruptsReader(before: Self.before, after: Self.after, durationNs: 2_000_000_000)
        #expect(Dictionary(uniqueKeysWithValues: r.rates.map { ($0.irq, $0.count) }) == Self.expected)
        #expect(r.rates.first { $0.irq == 114 }?.perSecond == 932.5)
        #expect(r.rates.first { $0.irq == 104 }?.description == "GIC xhci_hcd:usb3, exynos-ss-udc.0")
        let events = try ImportFixtures.readAll(r)
        #expect(events.count == 28_774)
        var perSource: [UInt16: UInt64] = [:]
        for e in events { perSource[e.source, default: 0] += 1 }
        #expect(perSource == Dictionary(uniqueKeysWithValues: Self.expected.map { (UInt16($0.key), $0.value) }))
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.time <= $1.time })
        #expect(events.allSatisfy { $0.time < 2_000_000_000 })
        #expect(r.notes.contains("procint: skipped rows that are not device IRQs: Err IPI0 IPI1 IPI2 IPI3 IPI4 IPI5"))
        #expect(r.notes.contains("procint: IRQ(s) only in the after snapshot, counted from 0: 160"))
    }

    @Test func poissonArrivalsLookPoisson() throws {
        let r = try ProcInterruptsReader(before: Self.before, after: Self.after, durationNs: 1_000_000_000, options: ImportOptions(irqs: [160]))
        let times = try ImportFixtures.readAll(r).map(\.time)
        #expect(times.count == 8038)
        // Exponential gaps: mean about 1e9/8038 ns, and the coefficient of variation near 1.
        let gaps = zip(times, times.dropFirst()).map { Double($1 - $0) }
        let mean = gaps.reduce(0, +) / Double(gaps.count)
        let sd = (gaps.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(gaps.count)).squareRoot()
        #expect(abs(mean - 1e9 / 8039) < 1e9 / 8039 * 0.05)
        #expect(abs(sd / mean - 1) < 0.05)
        // Each second half holds about half the arrivals.
        let firstHalf = times.filter { $0 < 500_000_000 }.count
        #expect(abs(firstHalf - 4019) < 200)
    }

    @Test func seededAndDeterministic() throws {
        func run(_ seed: UInt64) throws -> [TraceEvent] {
            try ImportFixtures.readAll(ProcInterruptsReader(before: Self.before, after: Self.after, durationNs: 1_000_000_000,
                                                            options: ImportOptions(seed: seed)))
        }
        #expect(try run(7) == run(7))
        #expect(try run(7) != run(8))
        // Selecting IRQs leaves the arrivals of the others unchanged.
        let all = try run(7).filter { $0.source == 92 }
        let one = try ImportFixtures.readAll(ProcInterruptsReader(before: Self.before, after: Self.after, durationNs: 1_000_000_000,
                                                                  options: ImportOptions(irqs: [92], seed: 7)))
        #expect(all == one)
    }

    @Test func oneCPUColumn() throws {
        let r = try ProcInterruptsReader(before: Self.before, after: Self.after, durationNs: 1_000_000_000, options: ImportOptions(cpu: 1))
        #expect(r.rates.map(\.irq) == [153])
        #expect(r.rates.map(\.count) == [312])
        let line = ImportFixtures.errorLine {
            _ = try ProcInterruptsReader(before: Self.before, after: Self.after, durationNs: 1, options: ImportOptions(cpu: 9))
        }
        #expect(line == "\(Self.before): header: no CPU9 column (the snapshot has CPU0 CPU1 CPU2 CPU3 CPU4 CPU5 CPU6 CPU7)")
    }

    @Test func specFileAndInlineSpec() throws {
        let specText = "procint:before=\(Self.before);after=\(Self.after)\n# the workload ran 2.5 s\nduration_s=2.5;seed=3\n"
        let specPath = ImportFixtures.scratch(text: specText, name: "wa.procint")
        #expect(try ImportedFormat.detect(path: specPath) == .procInterruptsSpec)
        let fromFile = try ImportFixtures.importAll(specPath)
        #expect(fromFile.events.count == 28_774)
        #expect(fromFile.events.allSatisfy { $0.time < 2_500_000_000 })
        let inline = try ImportFixtures.importAll("procint:before=\(Self.before);after=\(Self.after);duration_ms=2500;seed=3")
        #expect(inline.events == fromFile.events)
        #expect(try ProcInterruptsSpec(text: "procint:before=a;after=b;duration_ms=1.5", baseDirectory: "/d/", file: "s")
            == ProcInterruptsSpec(before: "/d/a", after: "/d/b", durationNs: 1_500_000))
    }

    @Test func specErrors() {
        func err(_ text: String) -> String {
            ImportFixtures.errorLine { _ = try ProcInterruptsSpec(text: text, baseDirectory: "", file: "s") }
        }
        #expect(err("procint:before=a;after=b") == "s: a /proc/interrupts spec needs a duration above 0 (`duration_ms=...`)")
        #expect(err("procint:before=a;duration_ms=5") == "s: a /proc/interrupts spec needs both `before=` and `after=`")
        #expect(err("procint:before=a;after=b;duration_ms=0.0000001") == "s:1: duration_ms=0.0000001 is not a duration in whole ns that fits in 64 bits")
        #expect(err("procint:before=a;after=b;during=5") == "s:1: unknown spec key `during` (before, after, duration_ns/us/ms/s, seed)")
    }

    @Test func loneSnapshotIsAClearError() {
        let line = ImportFixtures.errorLine { _ = try ImportFixtures.importAll(Self.after) }
        #expect(line.hasPrefix("\(Self.after): header: a single /proc/interrupts snapshot cannot be replayed"))
    }

    @Test func rowsInOneSnapshotAndCounterResets() throws {
        let b = ImportFixtures.scratch(text: "           CPU0       CPU1\n  5:  10  10  GIC  gone\n  7:  100  0  GIC  reset\n  9:  1  1  GIC  same\nNMI:  3  3  Non-maskable\n", name: "before")
        let a = ImportFixtures.scratch(text: "           CPU0       CPU1\n  7:  5  0  GIC  reset\n  9:  4  2  GIC  same\n 11:  2  0  GIC  new\nNMI:  9  9  Non-maskable\n", name: "after")
        let r = try ProcInterruptsReader(before: b, after: a, durationNs: 1_000)
        #expect(r.rates.map(\.irq) == [9, 11])
        #expect(r.rates.map(\.count) == [4, 2])
        #expect(r.notes.contains("procint: IRQ(s) only in the before snapshot, ignored: 5"))
        #expect(r.notes.contains("procint: counter went down (IRQ freed and requested again?), skipped: 7 (100 -> 5)"))
        #expect(r.notes.contains("procint: skipped rows that are not device IRQs: NMI"))
        #expect(try ImportFixtures.readAll(r).count == 6)
    }
}
