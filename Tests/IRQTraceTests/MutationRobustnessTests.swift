import Foundation
import IRQTrace
import Testing

/// Damaged files must give an error or a replayable trace, never a crash: seeded byte mutations of
/// every format's fixtures (flipped bytes, truncation, garbage splices) read to the end.
struct MutationRobustnessTests {
    static let fixtures: [String] = {
        let dir = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/real")
        return ["tcpdump_tcp-handshake-nano.pcap", "pcapplusplus_nanosecs_big_endian.pcap",
                "pcapplusplus_many_interfaces-1.pcapng", "tcpdump_babel_update_oobr.pcap",
                "wa_proc_interrupts_before.txt"].map { dir.appendingPathComponent($0).path }
    }()

    /// A native trace and a text trace made here, plus a small ftrace snippet.
    static func madeHere(in dir: URL) throws -> [String] {
        let native = dir.appendingPathComponent("n.pcap").path
        var events = (0..<40).map { TraceEvent(time: UInt64($0) * 1000, source: UInt16(1 + $0 % 3), kind: .level, count: 2) }
        var stream = ArrayTraceStream(events)
        _ = try writeTrace(&stream, format: .native, path: native)
        let text = dir.appendingPathComponent("t.csv").path
        events.reverse()
        stream = ArrayTraceStream(events)
        _ = try writeTrace(&stream, format: .text, path: text)
        let ftrace = dir.appendingPathComponent("f.txt").path
        try """
        # tracer: nop
        #
        #           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION
                  <idle>-0       [001] d.h1.  1234.500001: irq_handler_entry: irq=27 name=eth0
                  <idle>-0       [001] d.h1.  1234.500009: irq_handler_exit: irq=27 ret=handled
             kworker/0:1-33      [000] d.h2.  1234.600001: irq_handler_entry: irq=2048 name=nvme0q1
        """.write(toFile: ftrace, atomically: true, encoding: .utf8)
        return [native, text, ftrace]
    }

    /// Rounds per file; IRQBENCH_MUTATION_ROUNDS raises it for a longer search.
    static let rounds = Int(ProcessInfo.processInfo.environment["IRQBENCH_MUTATION_ROUNDS"] ?? "") ?? 60

    @Test func mutatedFilesNeverCrashTheReaders() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("irqbench-mut-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = SplitMix64(seed: 0x1F2E)
        var opened = 0, failed = 0
        for source in Self.fixtures + (try Self.madeHere(in: dir)) {
            let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: source)))
            for round in 0..<Self.rounds {
                var bytes = original
                switch round % 3 {
                case 0:
                    for _ in 0..<(1 + Int(rng.next() % 8)) where !bytes.isEmpty {
                        bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
                    }
                case 1:
                    bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count + 1))))
                default:
                    let at = Int(rng.next() % UInt64(bytes.count + 1))
                    let junk = (0..<Int(rng.next() % 64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                    bytes.insert(contentsOf: junk, at: at)
                }
                let path = dir.appendingPathComponent("m\(round)-" + URL(fileURLWithPath: source).lastPathComponent).path
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                do {
                    let input = try TraceInput.open(path: path)
                    var last: UInt64 = 0
                    while let e = try input.next() {
                        #expect(e.time >= last, "replay order")
                        #expect(TraceEvent.sourceRange.contains(e.source))
                        #expect(e.count >= 1)
                        last = e.time
                    }
                    opened += 1
                } catch {
                    #expect(!"\(error)".isEmpty)
                    failed += 1
                }
            }
        }
        // Both outcomes occur: the mutations are neither all harmless nor all fatal.
        #expect(opened > 0 && failed > 0)
    }
}
