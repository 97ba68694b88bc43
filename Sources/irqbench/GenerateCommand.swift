import ArgumentParser
import Foundation
import IRQTrace

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a seeded synthetic trace (periodic, Poisson or bursty arrivals, or a named workload shape).",
        discussion: """
            All times are integer nanoseconds; rates are per second. The same options give the \
            same file on every machine (the generator has its own PRNG, xoshiro256**, and no libm).

            periodic: one record every --period ns (or 1e9/--rate ns); several sources are staggered by period/n.
            poisson:  exponential gaps with mean 1e9/--rate ns, independently per source; with \
            --long-gap-share S and --long-gap-mean NS, a share S of the gaps has mean NS instead.
            bursty:   Poisson at --rate during each --on ns, then silent for --off ns, repeating from 0.

            --shape NAME writes one of the named workload shapes that irqbench bench measures \
            (with --records, default 1000000, and --seed): \
            \(BenchTraces.Shape.allCases.map { "\($0.rawValue): \($0.summary)" }.joined(separator: "; ")). \
            The mix shape is meant for --param harts=2 and its source settings (irqbench bench applies both).

            Each source of --sources is an independent copy of the pattern. Stops at --duration \
            or after --records records, whichever comes first (at least one is needed).

            The output format is --to; without it OUT's extension decides (.pcap: native; .csv or \
            .txt: text). The file is written atomically.

            Examples: irqbench generate --pattern poisson --rate 50000 --duration 100000000 \
            --seed 1 --out nic.pcap
            irqbench generate --shape nic-nc --records 1000000 --seed 1 --out nc-1M.pcap \
            (the same as --pattern poisson --rate 333333.3333333333 --long-gap-share 0.1 \
            --long-gap-mean 100000 --count 1,2,4 --records 1000000 --seed 1)
            """)

    enum Pattern: String, ExpressibleByArgument, CaseIterable { case periodic, poisson, bursty }

    @Option(help: "Arrival pattern: periodic, poisson or bursty.")
    var pattern: Pattern?

    @Option(help: ArgumentHelp("A named workload shape instead of --pattern: \(BenchTraces.Shape.allCases.map(\.rawValue).joined(separator: ", ")).",
                               valueName: "name"))
    var shape: String?

    @Option(help: ArgumentHelp("Arrivals per second per source (poisson, bursty; periodic if no --period).", valueName: "per-second"))
    var rate: Double?

    @Option(help: ArgumentHelp("Period of a periodic pattern, in ns.", valueName: "ns"))
    var period: UInt64?

    @Option(help: ArgumentHelp("Bursty: length of each burst, in ns.", valueName: "ns"))
    var on: UInt64?

    @Option(help: ArgumentHelp("Bursty: silence between bursts, in ns.", valueName: "ns"))
    var off: UInt64?

    @Option(help: ArgumentHelp("Poisson: the share of gaps, in (0, 1), drawn with --long-gap-mean instead.", valueName: "share"))
    var longGapShare: Double?

    @Option(help: ArgumentHelp("Poisson: the mean of the long gaps, in ns.", valueName: "ns"))
    var longGapMean: Double?

    @Option(help: ArgumentHelp("PLIC sources, comma-separated, each 1...1023.", valueName: "ids"))
    var sources: String = "1"

    @Option(help: ArgumentHelp("Request kind: level or edge for every source, or one per source, comma-separated.", valueName: "kind"))
    var kind: String = "level"

    @Option(help: ArgumentHelp("Units of work per record: N; A-B for uniform in A...B; or N,M,... for uniform among those values.", valueName: "n"))
    var count: String = "1"

    @Option(help: ArgumentHelp("Generate records with times below this, in ns.", valueName: "ns"))
    var duration: UInt64?

    @Option(help: ArgumentHelp("Stop after this many records.", valueName: "n"))
    var records: Int?

    @Option(help: "PRNG seed.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("The trace to write.", valueName: "file"))
    var out: String

    @Option(help: "Output format: native or text. Default: from --out's extension.")
    var to: OutputTraceFormat?

    func validate() throws {
        if to == nil && OutputTraceFormat.guess(from: out) == nil {
            throw ValidationError("cannot tell the output format from '\(out)': pass --to native or --to text")
        }
        _ = try options()
    }

    func run() throws {
        let format = (to ?? OutputTraceFormat.guess(from: out)!).format
        do {
            var trace = try SyntheticTrace(try options())
            let n = try writeTrace(&trace, format: format, path: out)
            print("\(out): \(n) records (\(format))")
        } catch let e as TraceError {
            warn("irqbench generate: \(e)")
            throw ExitCode(1)
        }
    }

    /// The library options these flags stand for; every inconsistency is a ValidationError.
    func options() throws -> SyntheticTraceOptions {
        if let shape {
            guard let named = BenchTraces.Shape(rawValue: shape) else {
                throw ValidationError("--shape: unknown shape '\(shape)' (known: \(BenchTraces.Shape.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard pattern == nil && rate == nil && period == nil && on == nil && off == nil && duration == nil
                && longGapShare == nil && longGapMean == nil && sources == "1" && kind == "level" && count == "1"
            else { throw ValidationError("--shape fixes the pattern, sources, kinds and counts: give only --records, --seed and the output") }
            return named.options(records: records ?? 1_000_000, seed: seed)
        }
        guard let pattern else { throw ValidationError("give --pattern (periodic, poisson, bursty) or --shape") }
        let arrival: ArrivalPattern
        switch pattern {
        case .periodic:
            if let period {
                guard rate == nil else { throw ValidationError("periodic: give --period or --rate, not both") }
                arrival = .periodic(periodNs: period)
            } else if let rate {
                guard rate > 0 && rate <= 1e9 else { throw ValidationError("--rate must be in (0, 1e9] per second") }
                arrival = .periodic(periodNs: UInt64((1e9 / rate).rounded()))
            } else {
                throw ValidationError("periodic needs --period NS or --rate PER_SECOND")
            }
        case .poisson:
            guard let rate else { throw ValidationError("poisson needs --rate PER_SECOND") }
            arrival = .poisson(ratePerSecond: rate)
        case .bursty:
            guard let rate, let on, let off else { throw ValidationError("bursty needs --rate, --on NS and --off NS") }
            arrival = .bursty(ratePerSecond: rate, onNs: on, offNs: off)
        }
        if pattern != .bursty && (on != nil || off != nil) {
            throw ValidationError("--on and --off apply to --pattern bursty only")
        }
        if pattern != .periodic && period != nil {
            throw ValidationError("--period applies to --pattern periodic only")
        }
        var ids: [UInt16] = []
        for part in sources.split(separator: ",", omittingEmptySubsequences: false) {
            guard let id = UInt16(part), TraceEvent.sourceRange.contains(id) else {
                throw ValidationError("--sources: '\(part)' is not a source ID in 1...1023")
            }
            ids.append(id)
        }
        var choices: [UInt32]? = nil
        var countRange: ClosedRange<UInt32> = 1...1
        if count.contains(",") {
            let values = count.split(separator: ",", omittingEmptySubsequences: false).map { UInt32($0) }
            guard values.allSatisfy({ ($0 ?? 0) >= 1 }) else {
                throw ValidationError("--count: '\(count)' is not a list of counts >= 1")
            }
            choices = values.map { $0! }
        } else {
            let counts = count.split(separator: "-", omittingEmptySubsequences: false).map { UInt32($0) }
            switch counts.count {
            case 1 where counts[0] != nil:
                countRange = counts[0]!...counts[0]!
            case 2 where counts[0] != nil && counts[1] != nil && counts[0]! <= counts[1]!:
                countRange = counts[0]!...counts[1]!
            default:
                throw ValidationError("--count: '\(count)' is not N, A-B with A <= B, or N,M,...")
            }
        }
        var kinds: [RequestKind] = []
        for part in kind.split(separator: ",", omittingEmptySubsequences: false) {
            guard let k = RequestKind(name: String(part)) else {
                throw ValidationError("--kind: '\(part)' is not level or edge")
            }
            kinds.append(k)
        }
        guard kinds.count == 1 || kinds.count == ids.count else {
            throw ValidationError("--kind: \(kinds.count) kinds for \(ids.count) sources (give one, or one per source)")
        }
        var o = SyntheticTraceOptions(pattern: arrival, sources: ids, kind: kinds[0],
                                      count: countRange, durationNs: duration, records: records, seed: seed)
        o.countChoices = choices
        if kinds.count > 1 { o.kinds = kinds }
        switch (longGapShare, longGapMean) {
        case (nil, nil): break
        case (let s?, let m?): o.longGaps = LongGaps(share: s, meanNs: m)
        default: throw ValidationError("--long-gap-share and --long-gap-mean go together")
        }
        if let problem = o.problem { throw ValidationError(problem) }
        return o
    }
}
