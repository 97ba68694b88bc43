import Foundation
import Synchronization
import Testing
import IRQResults

struct RunSummaryTests {
    @Test func namesWorstTailAndStormWithItsWindow() {
        let lines = RunSummary.lines(rows: simRows(), series: ["nic.pcap": syntheticSeries])
        #expect(lines == [
            "nic.pcap:",
            "  worst tail request_to_guest_p999: host-end 2.05 us (best guest-end 850 ns)",
            "  worst tail claim_to_complete_p99: guest-end 3.35 us (best host-end 150 ns)",
            "  storm: host-end with 46 storm irqs, peak 20 irqs/ms, busiest 20 ms-30 ms after the first event",
        ])
    }

    @Test func noStorm() {
        let rows = simRows(overrides: ["host-end/storm_irqs": "0"])
        #expect(RunSummary.lines(rows: rows).last == "  storm: none (storm_irqs is 0 for every strategy)")
    }
}

struct ProgressLineTests {
    final class Recorder: Sendable {
        let out = Mutex<[String]>([])
        let clock = Mutex<UInt64>(0)
    }

    @Test func silentWhenNotATerminal() {
        let rec = Recorder()
        let p = ProgressLine(isTerminal: false, write: { s in rec.out.withLock { $0.append(s) } })
        p.update("x"); p.flush(); p.finish()
        #expect(rec.out.withLock { $0 }.isEmpty)
    }

    @Test func rateLimitedRedrawOnOneLine() {
        let rec = Recorder()
        let p = ProgressLine(isTerminal: true, maxUpdatesPerSecond: 10,
                             write: { s in rec.out.withLock { $0.append(s) } },
                             now: { rec.clock.withLock { $0 } }, width: { 20 })
        p.update("1/5 traces")                       // t = 0: drawn
        rec.clock.withLock { $0 = 50_000_000 }
        p.update("2/5 traces")                       // 50 ms later: held back
        rec.clock.withLock { $0 = 120_000_000 }
        p.update("3/5 traces, a very long status")   // 120 ms: drawn, cut to the width
        p.update("4/5 traces")                       // same instant: held back
        p.flush()                                    // shows the held-back text
        p.finish()
        #expect(rec.out.withLock { $0 } == [
            "\r1/5 traces\u{1B}[K", "\r3/5 traces, a very…\u{1B}[K", "\r4/5 traces\u{1B}[K", "\r\u{1B}[K",
        ])
    }
}
