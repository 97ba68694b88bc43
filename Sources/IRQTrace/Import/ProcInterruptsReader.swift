#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `/proc/interrupts` before/after snapshots plus the time between them, replayed as Poisson
/// arrivals.
///
/// For each device IRQ (numeric row) the count difference, summed over the CPU columns (or the
/// one selected CPU), is replayed as exactly that many level requests over [0, duration): a
/// Poisson process conditioned on its count, whose arrival times are sorted uniform points. They
/// are generated in order from exponential spacings (E1 + ... + Ek) / (E1 + ... + E(n+1)), with
/// one SplitMix64 per IRQ seeded from (seed, IRQ), so a run is a pure function of the snapshots,
/// the duration and the seed, and the replayed count equals the measured one.
///
/// Rows: a row only in `after` counts from 0 (an IRQ requested during the workload); a row only
/// in `before` is ignored (its handler went away); a counter that went down (the IRQ was freed
/// and requested again) is skipped. IPI/NMI/LOC/Err/MIS and other named rows are not device IRQs
/// and are skipped. Each of these is reported in `notes`.
public final class ProcInterruptsReader: TraceRecordReader {
    public struct Rate: Equatable, Sendable {
        public var irq: UInt32
        public var source: UInt16
        public var description: String
        public var count: UInt64
        /// Requests per second over the measured duration.
        public var perSecond: Double
    }

    /// The most requests one pair of snapshots may ask for, over all selected IRQs, unless the
    /// caller sets another bound. Setting up and replaying the arrivals takes time in proportion
    /// to the count (about 0.1 µs a request), so a counter that jumped by 2^63 must be an error,
    /// not an hours-long start.
    public static let maxRequests: UInt64 = 100_000_000

    public let truncated = false
    public private(set) var notes: [String] = []
    /// The replayed IRQs in ascending IRQ order (only those with a count above 0).
    public let rates: [Rate]
    public let sourceMap: IRQSourceMap
    public let durationNs: UInt64

    private var streams: [Arrivals]

    /// `maxRequests` bounds the requests this reader sets up (the fuzz target lowers it so that
    /// every input stays quick).
    public init(before: String, after: String, durationNs: UInt64, options: ImportOptions = ImportOptions(),
                seed specSeed: UInt64? = nil, maxRequests: UInt64 = ProcInterruptsReader.maxRequests) throws(ImportError) {
        guard durationNs > 0 else {
            throw ImportError(file: after, .file, "the duration between the snapshots must be above 0")
        }
        guard durationNs <= TraceEvent.maxTime else {
            throw ImportError(file: after, .file,
                "the duration between the snapshots (\(durationNs) ns) is longer than any trace can be (at most \(TraceEvent.maxTime) ns, about 136 years)")
        }
        let b = try ProcInterruptsSnapshot(path: before)
        let a = try ProcInterruptsSnapshot(path: after)
        let seed = specSeed ?? options.seed
        self.durationNs = durationNs

        var notes: [String] = []
        func column(_ s: ProcInterruptsSnapshot, _ file: String) throws(ImportError) -> Int? {
            guard let cpu = options.cpu else { return nil }
            guard let c = s.cpus.firstIndex(of: cpu) else {
                throw ImportError(file: file, .header, "no CPU\(cpu) column (the snapshot has \(s.cpus.map { "CPU\($0)" }.joined(separator: " ")))")
            }
            return c
        }
        let beforeColumn = try column(b, before), afterColumn = try column(a, after)
        func value(_ row: ProcInterruptsSnapshot.Row, _ c: Int?) -> UInt64 {
            guard let c else { return row.total }
            return c < row.counts.count ? row.counts[c] : 0
        }
        if b.cpus != a.cpus {
            notes.append("procint: the snapshots list different CPUs (\(b.cpus.count) vs \(a.cpus.count) columns); per-IRQ totals are compared")
        }

        let named = Set(b.rows.filter { $0.irq == nil }.map(\.label) + a.rows.filter { $0.irq == nil }.map(\.label))
        if !named.isEmpty {
            // Real files have a dozen (NMI LOC IPI0 ... Err MIS); a damaged one may have thousands.
            let shown = named.sorted().prefix(32).map { $0.count <= 32 ? $0 : String($0.prefix(32)) + "..." }
            notes.append("procint: skipped rows that are not device IRQs: \(shown.joined(separator: " "))"
                + (named.count > shown.count ? " and \(named.count - shown.count) more" : ""))
        }
        var beforeRows: [UInt32: ProcInterruptsSnapshot.Row] = [:]
        for r in b.rows { if let irq = r.irq { beforeRows[irq] = r } }
        let afterIRQs = Set(a.rows.compactMap(\.irq))
        let map = try IRQSourceMap(irqs: afterIRQs.union(beforeRows.keys), file: after)
        sourceMap = map

        var rates: [Rate] = []
        var onlyAfter: [String] = [], reset: [String] = []
        var requested: UInt64 = 0
        for row in a.rows.sorted(by: { ($0.irq ?? 0) < ($1.irq ?? 0) }) {
            guard let irq = row.irq, options.irqs?.contains(irq) ?? true else { continue }
            let now = value(row, afterColumn)
            var then: UInt64 = 0
            if let old = beforeRows[irq] {
                then = value(old, beforeColumn)
            } else {
                onlyAfter.append("\(irq)")
            }
            guard now >= then else {
                reset.append("\(irq) (\(then) -> \(now))")
                continue
            }
            let count = now - then
            guard count > 0 else { continue }
            let (sum, overflow) = requested.addingReportingOverflow(count)
            guard !overflow, sum <= maxRequests else {
                throw ImportError(file: after, .line(row.line),
                    "IRQ \(irq) adds \(count) requests, more than the \(maxRequests) irqbench replays from one pair of snapshots; select fewer IRQs with --irqs or one CPU with --cpu")
            }
            requested = sum
            let description = row.description.isEmpty ? (beforeRows[irq]?.description ?? "") : row.description
            rates.append(Rate(irq: irq, source: map[irq], description: description, count: count,
                              perSecond: Double(count) * 1e9 / Double(durationNs)))
        }
        let onlyBefore = beforeRows.keys.filter { !afterIRQs.contains($0) && (options.irqs?.contains($0) ?? true) }
        if !onlyAfter.isEmpty { notes.append("procint: IRQ(s) only in the after snapshot, counted from 0: \(onlyAfter.joined(separator: " "))") }
        if !onlyBefore.isEmpty { notes.append("procint: IRQ(s) only in the before snapshot, ignored: \(onlyBefore.sorted().map(String.init).joined(separator: " "))") }
        if !reset.isEmpty { notes.append("procint: counter went down (IRQ freed and requested again?), skipped: \(reset.joined(separator: ", "))") }
        notes.append("procint: \(rates.count) IRQ(s) with requests, \(requested) request(s) over \(durationNs) ns, seed \(seed)"
            + (options.cpu.map { ", CPU\($0) only" } ?? ""))
        for r in rates {
            let moved = r.source == r.irq ? "" : " [not in 1...1023: next free source]"
            notes.append("procint: IRQ \(r.irq) (\(r.description)) -> source \(r.source)\(moved): \(r.count) in \(durationNs) ns = \((r.perSecond * 1000).rounded() / 1000)/s")
        }
        self.notes = notes
        self.rates = rates
        streams = rates.map { Arrivals(count: $0.count, source: $0.source, duration: durationNs, seed: Self.seed(seed, irq: $0.irq)) }
    }

    /// One generator per IRQ: the seed and the IRQ number mixed so neighbouring IRQs differ.
    static func seed(_ seed: UInt64, irq: UInt32) -> UInt64 {
        var g = SplitMix64(seed: seed ^ (UInt64(irq) &* 0xD6E8_FEB8_6659_FD93))
        return g.next()
    }

    public func nextRecord() throws -> TraceEvent? {
        // Few IRQs are active at once: a linear scan beats a heap. Ties go to the lower source.
        var best = -1
        var bestTime = UInt64.max
        for i in streams.indices {
            if let t = streams[i].nextTime, t < bestTime || (t == bestTime && streams[i].source < streams[best].source) {
                best = i
                bestTime = t
            }
        }
        guard best >= 0 else { return nil }
        streams[best].advance()
        return TraceEvent(time: bestTime, source: streams[best].source, kind: .level, count: 1)
    }

    /// Sorted uniform arrival times on [0, duration) from exponential spacings: a first pass over
    /// the generator sums all n+1 spacings, a second (same seed) emits the partial sums.
    struct Arrivals {
        let source: UInt16
        private let duration: Double
        private var rng: SplitMix64
        private var remaining: UInt64
        private var sum = 0.0
        private let total: Double
        private(set) var nextTime: UInt64?

        init(count: UInt64, source: UInt16, duration: UInt64, seed: UInt64) {
            self.source = source
            self.duration = Double(duration)
            var first = SplitMix64(seed: seed)
            var total = 0.0
            for _ in 0...count { total += Self.exponential(&first) }
            self.total = total
            rng = SplitMix64(seed: seed)
            remaining = count
            advance()
        }

        mutating func advance() {
            guard remaining > 0 else { nextTime = nil; return }
            remaining -= 1
            sum += Self.exponential(&rng)
            let t = (sum / total * duration).rounded(.down)
            nextTime = Swift.min(UInt64(t), UInt64(duration) - 1)
        }

        static func exponential(_ g: inout SplitMix64) -> Double {
            // Our own log, not libm's: the same seed gives the same arrivals on every platform.
            -DeterministicMath.log(1 - g.nextUnit())
        }
    }
}
