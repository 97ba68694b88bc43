import Testing
import IRQTrace

/// The importers reached through the project's trace opener (`TraceInput.open`), as
/// `irqbench run --trace FILE` and `irqbench convert` use them.
@Suite struct ImportOpenerTests {
    @Test func captureThroughTraceInput() throws {
        let input = try TraceInput.open(path: ImportFixtures.real("pcapplusplus_many_interfaces-1.pcapng"),
                                        options: TraceOptions(captureSource: 9))
        var events: [TraceEvent] = []
        while let e = try input.next() { events.append(e) }
        #expect(events.count == 64)
        #expect(input.report.format == .networkCapture)
        #expect(input.report.originNs == 1_439_753_725_701_568_000)
        #expect(events.last?.time == 2_590_777_000)
        #expect(events.allSatisfy { $0.source == 9 })
    }

    @Test func ftraceSelectionThroughTraceOptions() throws {
        let input = try TraceInput.open(path: ImportFixtures.real("langraph_trace.report.txt.gz"),
                                        options: TraceOptions(irqs: [20]))
        var n = 0
        while let e = try input.next() { #expect(e.source == 20); n += 1 }
        #expect(n == 38)
    }

    @Test func errorsBecomeTraceErrorsAndStrictRefusesTruncation() throws {
        let bad = ImportFixtures.real("libpcap_shb-option-too-long.pcapng")
        #expect(throws: TraceError.self) { _ = try TraceInput.open(path: bad) }

        let whole = ImportFixtures.bytes(ImportFixtures.real("tcpdump_tcp-handshake-nano.pcap"))
        let cut = ImportFixtures.scratch(Array(whole.dropLast(3)))
        let lenient = try TraceInput.open(path: cut)
        #expect(lenient.report.truncated && lenient.report.recordCount == 2)
        #expect(throws: TraceError.self) { _ = try TraceInput.open(path: cut, options: TraceOptions(strict: true)) }
    }
}
