import Foundation

/// The seeded traces `irqbench bench` generates when no trace is given.
public enum BenchTraces {
    /// A NIC-like trace: one level source (a NIC's receive interrupt: one request per packet,
    /// count 1, as docs/traces.md imports a network capture), bursty Poisson arrivals at 1.666 M
    /// packets/s during 1 ms bursts separated by 1 ms of silence: on average 10 GbE line rate
    /// with 1500-byte frames (833 k packets/s). Benchmarks/ and `irqbench bench` both use it.
    public static func nicLike(records: Int, seed: UInt64 = 1) -> SyntheticTraceOptions {
        SyntheticTraceOptions(pattern: .bursty(ratePerSecond: 1_666_000, onNs: 1_000_000, offNs: 1_000_000),
                              sources: [1], kind: .level, count: 1...1, records: records, seed: seed)
    }

    /// The file name of a generated NIC-like trace: the same options give the same name, so
    /// results of different commits line up in `irqbench compare`.
    public static func nicLikeName(records: Int, seed: UInt64) -> String {
        "nic-like-\(records)-seed\(seed).pcap"
    }

    /// Writes the NIC-like trace into `directory` (atomically; reused when it is already there,
    /// since the generator is deterministic) and returns its path.
    public static func writeNICLike(records: Int, seed: UInt64, directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent(nicLikeName(records: records, seed: seed))
        if FileManager.default.fileExists(atPath: path) { return path }
        try writeAtomically(path: path) { tmp in
            let writer = try NativeTraceWriter(path: tmp)
            var trace = try SyntheticTrace(nicLike(records: records, seed: seed))
            while let e = trace.next() { try writer.write(e) }
            try writer.finish()
        }
        return path
    }
}
