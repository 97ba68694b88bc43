import Testing
import IRQTrace

/// Inputs that broke a reader under the fuzz targets (Fuzz/, docs/fuzzing.md), kept as fixtures in
/// Fixtures/fuzz/ (README.md there says which target found each and what was wrong), and the
/// limits that keep every reader's memory and time bounded. Each must now give valid records or
/// one clean error line.
@Suite struct FuzzRegressionTests {
    static func fixture(_ name: String) -> String {
        String(ImportFixtures.realDirectory.dropLast("real/".count)) + "fuzz/" + name
    }

    /// FuzzProcInterrupts inputs hold `SPEC \0 BEFORE \0 AFTER`; the parts as the target splits them.
    static func procintParts(_ name: String) -> (spec: String, before: String, after: String) {
        let bytes = ImportFixtures.bytes(fixture(name))
        let parts = bytes.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false).map(Array.init)
        func part(_ i: Int) -> [UInt8] { i < parts.count ? parts[i] : [] }
        return (String(decoding: part(0), as: UTF8.self),
                ImportFixtures.scratch(part(1), name: "before.txt"), ImportFixtures.scratch(part(2), name: "after.txt"))
    }

    static func isOneLine(_ line: String) -> Bool { !line.utf8.contains(0x0A) && !line.isEmpty }

    // MARK: found by FuzzProcInterrupts

    /// A spec whose only line ends in CRLF: the "\r\n" Character was not a line break, so the item
    /// `\r\n` was refused in an error message that broke the line.
    @Test func specWithCRLFLineEnd() {
        let (spec, _, _) = Self.procintParts("procint-spec-crlf.bin")
        let line = ImportFixtures.errorLine { _ = try ProcInterruptsSpec(text: spec, baseDirectory: "", file: "spec") }
        #expect(line == "spec: a /proc/interrupts spec needs both `before=` and `after=`")
    }

    /// A snapshot with `\r\r\n` inside a row: the row's fields held a line break that reached the
    /// error message. Now CRLF ends a line, and the row after it is the one refused.
    @Test func snapshotWithStrayCarriageReturns() {
        let (_, before, after) = Self.procintParts("procint-snapshot-cr-crlf.bin")
        let line = ImportFixtures.errorLine { _ = try ProcInterruptsReader(before: before, after: after, durationNs: 2_000_000_000) }
        #expect(line == "\(before):4: row without a `LABEL:` first field: 0")
    }

    // MARK: limits (found by reading the readers; the fixtures crash or hang the code before them)

    /// duration_ns = 2^64 - 1 became a Double of 2^64 that trapped on its way back to UInt64.
    @Test func durationPastTheLatestTraceTime() throws {
        let (spec, before, after) = Self.procintParts("procint-duration-max.bin")
        let parsed = try ProcInterruptsSpec(text: spec, baseDirectory: "", file: "spec")
        #expect(parsed.durationNs == UInt64.max)
        let line = ImportFixtures.errorLine {
            _ = try ProcInterruptsReader(before: before, after: after, durationNs: parsed.durationNs)
        }
        #expect(line == "\(after): the duration between the snapshots (18446744073709551615 ns) is longer than any trace can be (at most \(TraceEvent.maxTime) ns, about 136 years)")
    }

    /// A counter that jumped by 2^64 - 1 asked for that many arrivals; setting them up looped for
    /// centuries (the fuzz target's 10 s timeout). Now it is refused on the row that asks.
    @Test func counterJumpBeyondTheRequestLimit() throws {
        let (_, before, after) = Self.procintParts("procint-counter-jump.bin")
        let line = ImportFixtures.errorLine { _ = try ProcInterruptsReader(before: before, after: after, durationNs: 1_000_000_000) }
        #expect(line == "\(after):2: IRQ 5 adds 18446744073709551615 requests, more than the 100000000 irqbench replays from one pair of snapshots; select fewer IRQs with --irqs or one CPU with --cpu")
    }

    /// Found by FuzzProcInterrupts (a timeout at nice 15 under load): snapshots asking for 961,591
    /// requests, which is within the reader's bound but took over a second under the address
    /// sanitizer. The reader is right; the fuzz target now lowers the bound, as a caller may.
    @Test func aMillionRequestsAreReplayedAndACallerCanBoundThem() throws {
        let (spec, before, after) = Self.procintParts("procint-million-requests.bin")
        #expect(spec.hasSuffix("procint:before=b;after=a;duration_ms=2000\n"))
        let all = try ProcInterruptsReader(before: before, after: after, durationNs: 2_000_000_000)
        #expect(all.rates.count == 4)
        #expect(all.rates.reduce(0) { $0 + $1.count } == 961_591)
        let line = ImportFixtures.errorLine {
            _ = try ProcInterruptsReader(before: before, after: after, durationNs: 2_000_000_000, maxRequests: 200_000)
        }
        #expect(line.hasPrefix("\(after):") && line.contains("requests, more than the 200000 irqbench replays from one pair of snapshots"))
    }

    /// The limit is over all IRQs together (and their sum cannot wrap): two IRQs of 60 million each.
    @Test func requestLimitCountsEveryIRQ() throws {
        let before = ImportFixtures.scratch(text: "CPU0\n5: 0\n6: 0\n")
        let after = ImportFixtures.scratch(text: "CPU0\n5: 60000000\n6: 60000000\n")
        let line = ImportFixtures.errorLine { _ = try ProcInterruptsReader(before: before, after: after, durationNs: 1_000_000_000) }
        #expect(line.hasPrefix("\(after):3: IRQ 6 adds 60000000 requests, more than the 100000000"))
    }

    /// CRLF snapshots (saved by a Windows editor) give exactly what the LF originals give.
    @Test func crlfSnapshotsMatchTheOriginals() throws {
        func crlf(_ path: String) -> String {
            var out: [UInt8] = []
            for b in ImportFixtures.bytes(path) { if b == 0x0A { out.append(0x0D) }; out.append(b) }
            return ImportFixtures.scratch(out)
        }
        let b = ImportFixtures.real("wa_proc_interrupts_before.txt"), a = ImportFixtures.real("wa_proc_interrupts_after.txt")
        let lf = try ProcInterruptsReader(before: b, after: a, durationNs: 2_000_000_000)
        let dos = try ProcInterruptsReader(before: crlf(b), after: crlf(a), durationNs: 2_000_000_000)
        #expect(dos.rates == lf.rates)
        #expect(try ImportFixtures.readAll(dos) == ImportFixtures.readAll(lf))
        let spec = try ProcInterruptsSpec(text: "procint:\r\nbefore = b.txt\r\nafter=a.txt\r\n# two s\r\nduration_ms=2000\r\n",
                                          baseDirectory: "/d/", file: "spec")
        #expect(spec == ProcInterruptsSpec(before: "/d/b.txt", after: "/d/a.txt", durationNs: 2_000_000_000))
    }

    /// 2 KiB of gzip that inflates to a 2 MiB line: the line buffer grew to fit it (a small file
    /// could ask for gigabytes). Lines are now at most 1 MiB, in detection and in the reader.
    @Test func lineLongerThanOneMiB() throws {
        let path = Self.fixture("ftrace-long-line.txt.gz")
        let expected = "\(path):2: line longer than 1048576 bytes (1 MiB): not a text trace this reader accepts"
        #expect(ImportFixtures.errorLine { _ = try FtraceReader(path: path) } == expected)
        #expect(ImportFixtures.errorLine { _ = try ImportFixtures.importAll(path) } == expected)
        // Plain text too, and a line just under the limit is read.
        let plain = ImportFixtures.scratch(Array("# tracer: nop\n".utf8) + [UInt8](repeating: 0x61, count: 1 << 20) + [0x0A])
        #expect(ImportFixtures.errorLine { _ = try FtraceReader(path: plain) }.hasSuffix(":2: line longer than 1048576 bytes (1 MiB): not a text trace this reader accepts"))
        let fits = ImportFixtures.scratch(Array("# tracer: nop\n".utf8) + [UInt8](repeating: 0x61, count: (1 << 20) - 1) + [0x0A])
        #expect(try ImportFixtures.readAll(FtraceReader(path: fits)).isEmpty)
    }

    /// Six digits with leading zeros (the µs of an ftrace timestamp), without Foundation.
    static func sixDigits(_ value: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    static func ftraceLine(irq: Int, name: String, at micros: Int = 1) -> String {
        "          <idle>-0     [000] d.h1. 100.\(sixDigits(micros)): irq_handler_entry: irq=\(irq) name=\(name)\n"
    }

    /// Every distinct IRQ was kept until the end, where more than 1023 became an error: a file of
    /// millions of distinct IRQs held them all first. Now the 1024th is refused on its line.
    @Test func moreIRQsThanSourcesStopsAtTheFirstTooMany() {
        let text = "# tracer: nop\n" + (0..<1100).map { Self.ftraceLine(irq: 5000 + $0, name: "q") }.joined()
        let path = ImportFixtures.scratch(text: text)
        #expect(ImportFixtures.errorLine { _ = try FtraceReader(path: path) }
                == "\(path):1025: more than 1023 distinct IRQs (the PLIC's sources) in one file; IRQ 6023 is the 1024th")
    }

    /// Handler names were kept without bound per IRQ, each looked up in a list: quadratic in a file
    /// of distinct names. Now 8 names of at most 64 bytes are kept per IRQ.
    @Test func handlerNamesAreBounded() throws {
        let long = String(repeating: "n", count: 100)
        let text = "# tracer: nop\n" + Self.ftraceLine(irq: 9, name: long) + (0..<20).map { Self.ftraceLine(irq: 9, name: "dev\($0)") }.joined()
        let reader = try FtraceReader(path: ImportFixtures.scratch(text: text))
        #expect(try ImportFixtures.readAll(reader).count == 21)
        let kept = reader.irqNames[9] ?? []
        #expect(kept.count == 8)
        #expect(kept.first == String(repeating: "n", count: 64) + "...")
    }

    /// Selected events were kept without bound (a gzip bomb of events). The reader keeps at most
    /// `FtraceReader.maxEvents` (50 million; a caller may pass fewer, as here, to reach the bound
    /// with a few lines), counted after the --irqs/--cpu selection, and refuses the first one over.
    @Test func ftraceEventsAreBoundedAfterTheSelection() throws {
        let text = "# tracer: nop\n" + (1...5).map { Self.ftraceLine(irq: 9, name: "a", at: $0) }.joined()
            + (6...20).map { Self.ftraceLine(irq: 10, name: "b", at: $0) }.joined()
        let path = ImportFixtures.scratch(text: text)
        #expect(FtraceReader.maxEvents == 50_000_000)
        #expect(ImportFixtures.errorLine { _ = try FtraceReader(path: path, maxEvents: 4) }
                == "\(path):6: more than 4 irq_handler_entry events selected (each is kept in memory); select fewer with --irqs or --cpu, or split the trace")
        // IRQ 9 alone is 5 events: within a bound of 5, and the 15 of IRQ 10 do not count.
        let nine = try FtraceReader(path: path, options: ImportOptions(irqs: [9]), maxEvents: 5)
        #expect(try ImportFixtures.readAll(nine).count == 5)
    }

    /// The note on skipped rows listed every named row: a damaged snapshot of thousands of named
    /// rows made one huge note. Now 32 names are listed (each cut to 32 bytes) and the rest counted.
    @Test func procInterruptsSkippedRowNamesAreBounded() throws {
        func pad(_ i: Int) -> String { i < 10 ? "0\(i)" : "\(i)" }
        let named = (0..<40).map { "N\(pad($0)): 0\n" }.joined()
        let before = ImportFixtures.scratch(text: "CPU0\n" + named + "5: 0\n")
        let after = ImportFixtures.scratch(text: "CPU0\n" + named + "5: 10\n")
        let reader = try ProcInterruptsReader(before: before, after: after, durationNs: 1_000_000_000)
        let shown = (0..<32).map { "N\(pad($0))" }.joined(separator: " ")
        #expect(reader.notes.contains("procint: skipped rows that are not device IRQs: \(shown) and 8 more"))
        // A name longer than 32 bytes is cut.
        let one = ImportFixtures.scratch(text: "CPU0\n" + String(repeating: "L", count: 40) + ": 0\n5: 0\n")
        let oneAfter = ImportFixtures.scratch(text: "CPU0\n" + String(repeating: "L", count: 40) + ": 0\n5: 3\n")
        let cut = try ProcInterruptsReader(before: one, after: oneAfter, durationNs: 1_000_000_000)
        #expect(cut.notes.contains("procint: skipped rows that are not device IRQs: " + String(repeating: "L", count: 32) + "..."))
    }

    /// One note per interface: a file of tiny interface blocks made one note each. Now 16 are
    /// described and the rest summed.
    @Test func pcapngInterfaceNotesAreBounded() throws {
        var b = PcapngBuilder()
        b.section(bigEndian: false)
        for _ in 0..<40 { b.interface(linkType: 1) }
        b.enhanced(interface: 39, units: 5)
        let (events, reader) = try ImportFixtures.importAll(ImportFixtures.scratch(b.bytes))
        #expect(events.count == 1)
        #expect(reader.notes.filter { $0.hasPrefix("pcapng section") }.count == 16)
        #expect(reader.notes.contains("pcapng: 24 more interface(s) not listed, 1 packet(s) on them"))
    }
}
