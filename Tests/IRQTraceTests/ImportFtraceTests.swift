import Testing
import IRQTrace

/// ftrace text: the real trace-cmd report (gzip), and synthetic snippets of every layout the
/// reader claims (written here by the project).
@Suite struct ImportFtraceTests {
    @Test func langraphTraceCmdReportGzip() throws {
        let path = ImportFixtures.real("langraph_trace.report.txt.gz")
        #expect(try ImportedFormat.detect(path: path) == .ftrace(gzip: true))
        let (events, reader) = try ImportFixtures.importAll(path)
        #expect(events.count == 267)
        #expect(events.first?.time == 11_370_816_281_758)
        #expect(events.last?.time == 11_380_720_334_311)
        #expect(!reader.truncated)
        var perSource: [UInt16: Int] = [:]
        for e in events { perSource[e.source, default: 0] += 1 }
        #expect(perSource == [19: 185, 20: 38, 21: 34, 15: 10])
        #expect(reader.notes.contains("ftrace: IRQ 19 (enp0s3) -> source 19: 185 request(s)"))
        #expect(reader.notes.contains("ftrace: IRQ 21 (ahci[0000:00:0d.0] / snd_intel8x0) -> source 21: 34 request(s)"))
        #expect(reader.notes.contains("ftrace header: cpus=4"))
    }

    @Test func gzipCutShortIsTruncated() throws {
        let whole = ImportFixtures.bytes(ImportFixtures.real("langraph_trace.report.txt.gz"))
        let (events, reader) = try ImportFixtures.importAll(ImportFixtures.scratch(Array(whole.prefix(whole.count / 2))))
        #expect(reader.truncated)
        #expect(events.count > 50 && events.count < 267)
    }

    static let rawTrace = """
        # tracer: nop
        #
        # entries-in-buffer/entries-written: 6/6   #P:8
        #
        #                              _-----=> irqs-off
        #           TASK-PID   CPU#  ||||    TIMESTAMP  FUNCTION
        #              | |       |   ||||       |         |
                   <...>-10176 [005] .... 958955.762532: tracing_mark_write: irq_handler_entry: irq=99 name=fake
                  <idle>-0     [002] d.h1 958955.762916: irq_handler_entry: irq=32 name=90b6400.qcom,cpu-cpu-llcc-bwmon
             ->transport-1654  [001] d.h. 958955.765733: irq_handler_entry: irq=630 name=dwc3
         Binder:1234 [x] 2-1500 [003] d.h2 958955.765734: irq_handler_entry: irq=4 name=arch_timer
          kworker/5:0-6371  [005] .... 958955.765800: workqueue_execute_start: work struct ffffff83b8f89238
                  <idle>-0     [002] d.h1 958955.765900: irq_handler_entry: irq=0 name=timer
                  <idle>-0     [007] d.h1 958955.766000: irq_handler_entry: irq=2048 name=IPI wakeup
                  <idle>-0     [002] d.h1 958955.766100: irq_handler_entry: irq=1 name=PCIe PME

        """

    @Test func rawTraceFileWithFlagsAndOddTaskNames() throws {
        let path = ImportFixtures.scratch(text: Self.rawTrace)
        #expect(try ImportedFormat.detect(path: path) == .ftrace(gzip: false))
        let (events, reader) = try ImportFixtures.importAll(path)
        // IRQ 0 and 2048 are outside 1...1023: ascending IRQ order, lowest free source first,
        // skipping the in-range IRQs 1, 4, 32 and 630 of this file -> 0 gets 2, 2048 gets 3.
        #expect(events.map(\.source) == [32, 630, 4, 2, 3, 1])
        #expect(events.map(\.time) == [958_955_762_916_000, 958_955_765_733_000, 958_955_765_734_000,
                                        958_955_765_900_000, 958_955_766_000_000, 958_955_766_100_000])
        #expect(reader.notes.contains("ftrace: IRQ 0 (timer) -> source 2 [not in 1...1023: next free source]: 1 request(s)"))
        #expect(reader.notes.contains("ftrace: IRQ 2048 (IPI wakeup) -> source 3 [not in 1...1023: next free source]: 1 request(s)"))
        #expect(reader.notes.contains("ftrace: IRQ 1 (PCIe PME) -> source 1: 1 request(s)"))
        #expect(reader.notes.contains("ftrace header: #P:8"))
    }

    @Test func layoutsWithoutFlagsWithTgidAndNanoseconds() throws {
        let text = """
            cpus=2
                   trace-cmd-86689 [001] 11370.816168595: sched_waking:         comm=smbd pid=2965 prio=120 target_cpu=000
                      <idle>-0     [000] 11370.816281758: irq_handler_entry:    irq=19 name=enp0s3
                      <idle>-0     [000] 11370.816288088: kernel_stack:         <stack trace >
            => __handle_irq_event_percpu (ffffffffa8949aa8)
            => handle_irq_event (ffffffffa8949c19)
                       bash-1977  ( 1977) [001] d... 17284.993652: irq_handler_entry: irq=20 name=vboxguest
                       bash-1977  (-----) [001] 17284.993653: irq_handler_entry: irq=20 name=vboxguest
                       my task-12 [000] d..1. 17284.9: irq_handler_entry: irq=19 name=enp0s3
            """
        let (events, _) = try ImportFixtures.importAll(ImportFixtures.scratch(text: text))
        #expect(events.map(\.time) == [11_370_816_281_758, 17_284_993_652_000, 17_284_993_653_000, 17_284_900_000_000])
        #expect(events.map(\.source) == [19, 20, 20, 19])
    }

    @Test func selectIRQsAndCPU() throws {
        let path = ImportFixtures.scratch(text: Self.rawTrace)
        let onlyCPU2 = try ImportFixtures.importAll(path, ImportOptions(cpu: 2))
        #expect(onlyCPU2.events.map(\.source) == [32, 2, 1])
        let some = try ImportFixtures.importAll(path, ImportOptions(irqs: [630, 2048]))
        // The map is built over all IRQs of the file, so 2048 keeps source 3.
        #expect(some.events.map(\.source) == [630, 3])
        #expect(some.reader.notes.contains { $0.contains("4 left out by the IRQ/CPU selection") })
    }

    @Test func lastLineCutShortIsTruncation() throws {
        let text = """
            # tracer: nop
                  <idle>-0     [002] d.h1 958955.762916: irq_handler_entry: irq=32 name=x
                  <idle>-0     [002] d.h1 958955.7629
            """
        let (events, reader) = try ImportFixtures.importAll(ImportFixtures.scratch(text: text))
        #expect(events.count == 1)
        #expect(!reader.truncated)  // the cut line no longer says irq_handler_entry: nothing lost

        let cutInArgs = "# tracer: nop\n  <idle>-0 [002] d.h1 1.5: irq_handler_entry: irq=32 name=x\n  <idle>-0 [002] d.h1 1.6: irq_handler_entry: ir"
        let (e2, r2) = try ImportFixtures.importAll(ImportFixtures.scratch(text: cutInArgs))
        #expect(e2.map(\.time) == [1_500_000_000])
        #expect(r2.truncated)
    }

    @Test func malformedIRQLineNamesItsLine() {
        let text = "# tracer: nop\n  <idle>-0 [002] d.h1 1.5: irq_handler_entry: irq=32 name=x\n  <idle>-0 [002] d.h1 1.6: irq_handler_entry: irq=abc name=y\n  <idle>-0 [002] d.h1 1.7: irq_handler_entry: irq=32 name=x\n"
        let path = ImportFixtures.scratch(text: text)
        #expect(ImportFixtures.errorLine { _ = try ImportFixtures.importAll(path) }
            == "\(path):3: irq_handler_entry without a valid `irq=N` argument")
    }

    @Test func timestampsAreIntegersAndChecked() throws {
        let text = "# tracer: nop\n <idle>-0 [000] d.h1 18446744073.709551615: irq_handler_entry: irq=5 name=a\n <idle>-0 [000] d.h1 0.000000001: irq_handler_entry: irq=5 name=a\n"
        let (events, _) = try ImportFixtures.importAll(ImportFixtures.scratch(text: text))
        #expect(events.map(\.time) == [UInt64.max, 1])

        let over = "# tracer: nop\n <idle>-0 [000] d.h1 18446744074.000000000: irq_handler_entry: irq=5 name=a\n <idle>-0 [000] d.h1 1.0: irq_handler_entry: irq=5 name=a\n"
        let path = ImportFixtures.scratch(text: over)
        #expect(ImportFixtures.errorLine { _ = try ImportFixtures.importAll(path) }
            == "\(path):2: timestamp 18446744074.000000000 s does not fit in 64-bit nanoseconds")
    }

    @Test func noIRQEventsIsAnEmptyTrace() throws {
        let text = "# tracer: nop\n  bash-1 [000] .... 1.000001: sched_switch: prev_comm=bash\n"
        let (events, reader) = try ImportFixtures.importAll(ImportFixtures.scratch(text: text))
        #expect(events.isEmpty && !reader.truncated)
    }
}
