import Foundation

/// The seeded workload shapes that `irqbench bench`, `irqbench generate --shape` and Benchmarks/
/// share (docs/performance.md). Each shape is a trace plus the scenario it is meant for, so a
/// reader can tell a shape that coalesces (few simulated happenings per request) from one that
/// does not.
public enum BenchTraces {
    public enum Shape: String, Sendable, CaseIterable {
        /// The coalescing NIC burst: one level source, one request of count 1 per packet, Poisson
        /// arrivals at 1.666 M packets/s during 1 ms bursts separated by 1 ms of silence (10 GbE
        /// line rate with 1500-byte frames on average). Most requests arrive while the guest is
        /// already servicing the line.
        case nicBurst = "nic-burst"
        /// The non-coalescing NIC: one level source, Poisson gaps of mean 3 us with 10% long gaps
        /// of mean 100 us, 1, 2 or 4 units per request. Most requests find the line low.
        case nicNC = "nic-nc"
        /// Storm-heavy: one level source, Poisson at 10 k requests/s, 1 to 4 units each. Requests
        /// rarely overlap, so under host-end each one is a whole storm (about 50 dispatches).
        case storm
        /// A multi-source mix on 2 harts: sources 1-4 level, 5-8 edge, each Poisson at 40 k
        /// requests/s with 1 to 4 units; mixed priorities, half the sources on hart 1 (their
        /// injects reach the vCPU by IPI), source 8 host-owned.
        case mix

        public var summary: String {
            switch self {
            case .nicBurst: "NIC bursts at 1.67 M packets/s, 1 ms on / 1 ms off, 1 level source (coalescing)"
            case .nicNC: "NIC, Poisson gaps 3 us with 10% long gaps of 100 us, counts 1/2/4, 1 level source (non-coalescing)"
            case .storm: "Poisson 10 k/s, counts 1-4, 1 level source (a whole host-end storm per request)"
            case .mix: "8 sources (4 level, 4 edge), Poisson 40 k/s each, counts 1-4, 2 harts, 1 host-owned"
            }
        }

        /// The trace of `records` requests.
        public func options(records: Int, seed: UInt64 = 1) -> SyntheticTraceOptions {
            switch self {
            case .nicBurst:
                return SyntheticTraceOptions(
                    pattern: .bursty(ratePerSecond: 1_666_000, onNs: 1_000_000, offNs: 1_000_000),
                    sources: [1], kind: .level, count: 1...1, records: records, seed: seed)
            case .nicNC:
                var o = SyntheticTraceOptions(pattern: .poisson(ratePerSecond: 1e9 / 3000), sources: [1], kind: .level,
                                              records: records, seed: seed)
                o.countChoices = [1, 2, 4]
                o.longGaps = LongGaps(share: 0.1, meanNs: 100_000)
                return o
            case .storm:
                return SyntheticTraceOptions(pattern: .poisson(ratePerSecond: 10_000), sources: [1], kind: .level,
                                             count: 1...4, records: records, seed: seed)
            case .mix:
                var o = SyntheticTraceOptions(pattern: .poisson(ratePerSecond: 40_000), sources: Array(1...8),
                                              kind: .level, count: 1...4, records: records, seed: seed)
                o.kinds = [.level, .level, .level, .level, .edge, .edge, .edge, .edge]
                return o
            }
        }

        /// Model parameters (`--param NAME=VALUE`) the shape is replayed with; empty: the defaults.
        public var params: [String] {
            self == .mix ? ["harts=2"] : []
        }

        /// Per-source settings (the `--sources` JSON) the shape is replayed with, or nil.
        public var sourcesJSON: String? {
            guard self == .mix else { return nil }
            return """
                {"1": {"priority": 3}, "2": {"target_hart": 1}, "3": {"priority": 5}, \
                "4": {"target_hart": 1, "priority": 2}, "5": {"priority": 4}, "6": {"target_hart": 1}, \
                "7": {"priority": 2}, "8": {"target_hart": 1, "owner": "host"}}
                """
        }

        /// The file name of a generated trace: the same options give the same name, so results
        /// of different commits line up in `irqbench compare`. (The NIC burst keeps the name it
        /// had when it was the only bench trace.)
        public func fileName(records: Int, seed: UInt64) -> String {
            self == .nicBurst ? "nic-like-\(records)-seed\(seed).pcap" : "\(rawValue)-\(records)-seed\(seed).pcap"
        }

        /// Writes the shape's trace into `directory` (atomically; reused when it is already there,
        /// since the generator is deterministic) and returns its path.
        public func write(records: Int, seed: UInt64, directory: String) throws -> String {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let path = (directory as NSString).appendingPathComponent(fileName(records: records, seed: seed))
            if FileManager.default.fileExists(atPath: path) { return path }
            try writeAtomically(path: path) { tmp in
                let writer = try NativeTraceWriter(path: tmp)
                var trace = try SyntheticTrace(options(records: records, seed: seed))
                while let e = trace.next() { try writer.write(e) }
                try writer.finish()
            }
            return path
        }
    }

    /// The NIC burst trace (`Shape.nicBurst`).
    public static func nicLike(records: Int, seed: UInt64 = 1) -> SyntheticTraceOptions {
        Shape.nicBurst.options(records: records, seed: seed)
    }

    public static func nicLikeName(records: Int, seed: UInt64) -> String {
        Shape.nicBurst.fileName(records: records, seed: seed)
    }

    public static func writeNICLike(records: Int, seed: UInt64, directory: String) throws -> String {
        try Shape.nicBurst.write(records: records, seed: seed, directory: directory)
    }
}
