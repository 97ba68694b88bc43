import Benchmark
import Foundation
import IRQTrace

// Native trace reading and writing through libpcap, and the plain libpcap read loop they are
// judged against.

/// The NIC-like trace of `irqbench bench` (IRQTrace's `BenchTraces.nicLike`), written once per
/// machine; returns its path.
func nicLikeTraceFile(records: Int) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("irqbench-benchmarks").path
    return try BenchTraces.writeNICLike(records: records, seed: 1, directory: dir)
}

let records = 1_000_000

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .milliseconds,
        warmupIterations: 1,
        scalingFactor: .one,
        maxDuration: .seconds(3),
        maxIterations: 15,
        thresholds: [
            .wallClock: .init(relative: [.p50: 50]),
            .throughput: .init(relative: [.p50: 50]),
            .mallocCountTotal: .init(absolute: [.p0: 0, .p50: 0, .p100: 0]),
        ]
    )

    // The baseline: pcap_next_ex over the file, touching each payload, nothing decoded.
    Benchmark("libpcap_plain_read_1M_native_records") { benchmark in
        let path = try nicLikeTraceFile(records: records)
        benchmark.startMeasurement()
        let handle = try PcapHandle.openOffline(path: path, precision: .nanoseconds)
        var n = 0
        var sum: UInt64 = 0
        while let p = try handle.nextPacket() {
            n += 1
            sum &+= UInt64(p.bytes.load(fromByteOffset: 4, as: UInt32.self)) &+ UInt64(p.fraction)
        }
        benchmark.stopMeasurement()
        precondition(n == records)
        blackHole(sum)
    }

    // NativeTraceReader: libpcap plus the payload checks and time conversion, as replay reads.
    Benchmark("native_read_NativeTraceReader_1M_records") { benchmark in
        let path = try nicLikeTraceFile(records: records)
        benchmark.startMeasurement()
        let reader = try NativeTraceReader(path: path)
        var n = 0
        var last: UInt64 = 0
        while let e = try reader.nextRecord() { n += 1; last = e.time }
        benchmark.stopMeasurement()
        precondition(n == records)
        blackHole(last)
    }

    // TraceInput's streaming second pass (the stream replay consumes); the first pass (count,
    // order check) and the sha256 happen in open, outside the measurement.
    Benchmark("native_TraceInput_stream_second_pass_1M_records") { benchmark in
        let path = try nicLikeTraceFile(records: records)
        let input = try TraceInput.open(path: path)
        benchmark.startMeasurement()
        var n = 0
        while let e = try input.next() { n += 1; blackHole(e.time) }
        benchmark.stopMeasurement()
        precondition(n == records)
    }

    // NativeTraceWriter: payload encode + pcap_dump of 1M in-memory events.
    Benchmark("native_write_NativeTraceWriter_1M_records") { benchmark in
        var events: [TraceEvent] = []
        events.reserveCapacity(records)
        var trace = try SyntheticTrace(BenchTraces.nicLike(records: records))
        while let e = trace.next() { events.append(e) }
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("irqbench-benchmarks-write-\(getpid()).pcap").path
        defer { unlink(path) }
        benchmark.startMeasurement()
        let writer = try NativeTraceWriter(path: path)
        for e in events { try writer.write(e) }
        try writer.finish()
        benchmark.stopMeasurement()
    }
}
