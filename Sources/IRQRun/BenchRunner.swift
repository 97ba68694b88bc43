import Foundation
import IRQCore
import IRQReplay
import IRQResults
import IRQTrace
#if canImport(Glibc)
import Glibc
#endif

/// What `irqbench bench` measures and how often.
public struct BenchConfig: Sendable {
    public var scenario = Scenario()
    /// The platform preset the scenario was built from (`--platform`), for the provenance.
    public var platform: PlatformPreset? = nil
    public var sources = SourceSettings()
    public var sourcesSHA256: String? = nil
    public var strategies: [EndStrategy] = EndStrategy.plicStrategies
    /// Untimed rounds before the measured ones (page cache, branch predictors, allocator).
    public var warmup = 1
    /// Measured rounds: one `rep` row per metric each.
    public var repetitions = 5
    public var commit = "unknown"

    public init() {}

    /// The `params` provenance column: the platform, non-default scenario parameters, the sources digest.
    public var paramsDescription: String {
        paramsProvenance(scenario: scenario, platform: platform, sourcesSHA256: sourcesSHA256)
    }
}

/// One measured replay: `engine.run` only. The trace is opened before the clock starts (its
/// first pass counts and checks the records, and its sha256 is computed); `run` then streams the
/// records from the file through libpcap, so the read is part of what is timed.
public struct BenchSample: Sendable {
    public var requests: UInt64
    public var events: UInt64
    public var seconds: Double
    public var requestsPerSecond: Double { Double(requests) / seconds }
    public var eventsPerSecond: Double { Double(events) / seconds }
    /// Simulated happenings per request: tells a coalescing workload (few per request) from a
    /// fast replay.
    public var eventsPerRequest: Double { Double(events) / Double(max(requests, 1)) }
    public var nsPerRequest: Double { seconds * 1e9 / Double(requests) }
}

/// The plain-read baseline: `pcap_next_ex` over the file, touching each payload, nothing decoded.
public struct ReadSample: Sendable {
    public var records: UInt64
    public var seconds: Double
    public var recordsPerSecond: Double { Double(records) / seconds }
    public var nsPerRecord: Double { seconds * 1e9 / Double(records) }
}

public enum Bench {
    /// The `strategy` column of the plain-read baseline rows.
    public static let readBaselineStrategy = "libpcap-read"

    /// Monotonic clock in ns.
    @inline(__always)
    static func nowNs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    public static func plainRead(path: String) throws -> ReadSample {
        let start = nowNs()
        let handle = try PcapHandle.openOffline(path: path, precision: .nanoseconds)
        var n: UInt64 = 0
        var sum: UInt64 = 0
        while let p = try handle.nextPacket() {
            n += 1
            if p.bytes.count >= 8 { sum &+= UInt64(p.bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self)) }
            sum &+= UInt64(truncatingIfNeeded: p.fraction)
        }
        let end = nowNs()
        // Keep the loop's work observable so it cannot be optimised away.
        if sum == 0x5EED_5EED_5EED_5EED { print("") }
        return ReadSample(records: n, seconds: Double(end - start) / 1e9)
    }

    public static func replay(path: String, strategy: EndStrategy, config: BenchConfig) throws -> BenchSample {
        let input = try TraceInput.open(path: path)
        let engine = try ReplayEngine(scenario: config.scenario, sources: config.sources, strategy: strategy)
        var stream = input
        let start = nowNs()
        let m = try engine.run(&stream)
        let end = nowNs()
        return BenchSample(requests: m.requests, events: m.events, seconds: Double(end - start) / 1e9)
    }

    /// Warm-up, then `repetitions` rounds; each round reads the trace plainly once and replays it
    /// once per strategy (interleaved, so drift of the machine spreads over every series).
    /// Returns the `wall` rows and, per strategy, the samples (for the summary).
    public static func run(trace path: String, config: BenchConfig,
                           progress: ((String) -> Void)? = nil) throws
        -> (rows: [ResultRow], reads: [ReadSample], samples: [EndStrategy: [BenchSample]])
    {
        let name = URL(fileURLWithPath: path).lastPathComponent
        let sha = try FileDigest.sha256Hex(path: path)
        for w in 0..<config.warmup {
            progress?("\(name): warm-up \(w + 1)/\(config.warmup)")
            _ = try plainRead(path: path)
            for s in config.strategies { _ = try replay(path: path, strategy: s, config: config) }
        }
        var rows: [ResultRow] = []
        var reads: [ReadSample] = []
        var samples: [EndStrategy: [BenchSample]] = [:]
        func row(_ strategy: String, _ metric: String, _ rep: Int, _ value: Double) -> ResultRow {
            ResultRow(commit: config.commit, trace: name, traceSHA256: sha, params: config.paramsDescription,
                      strategy: strategy, kind: .wall, metric: metric, rep: rep, value: format(value))
        }
        for rep in 0..<config.repetitions {
            progress?("\(name): repetition \(rep + 1)/\(config.repetitions)")
            let read = try plainRead(path: path)
            reads.append(read)
            rows.append(row(readBaselineStrategy, "records_per_sec", rep, read.recordsPerSecond))
            rows.append(row(readBaselineStrategy, "ns_per_record", rep, read.nsPerRecord))
            for s in config.strategies {
                let b = try replay(path: path, strategy: s, config: config)
                samples[s, default: []].append(b)
                rows.append(row(s.rawValue, "requests_per_sec", rep, b.requestsPerSecond))
                rows.append(row(s.rawValue, "events_per_sec", rep, b.eventsPerSecond))
                rows.append(row(s.rawValue, "events_per_request", rep, b.eventsPerRequest))
                rows.append(row(s.rawValue, "ns_per_request", rep, b.nsPerRequest))
                // Replay time over plain-read time of the same round: 1 would be "as fast as
                // reading the file".
                rows.append(row(s.rawValue, "replay_read_ratio", rep, b.seconds / read.seconds))
            }
        }
        return (rows, reads, samples)
    }

    /// Decimal with three places (the results schema's measured-value form).
    public static func format(_ v: Double) -> String { String(format: "%.3f", v) }

    /// Peak resident set size of this process so far, KiB (`getrusage` ru_maxrss).
    public static func peakRSSKiB() -> Int {
        var u = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &u)
        #else
        getrusage(RUSAGE_SELF, &u)
        #endif
        return Int(u.ru_maxrss)
    }

    /// Median of a non-empty list.
    public static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
