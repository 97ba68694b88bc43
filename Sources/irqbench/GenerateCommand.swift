import ArgumentParser
import Foundation
import IRQTrace

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a seeded synthetic trace (periodic, Poisson or bursty arrivals).",
        discussion: """
            All times are integer nanoseconds; rates are per second. The same options give the \
            same file on every machine (the generator has its own PRNG, xoshiro256**, and no libm).

            periodic: one record every --period ns (or 1e9/--rate ns); several sources are staggered by period/n.
            poisson:  exponential gaps with mean 1e9/--rate ns, independently per source.
            bursty:   Poisson at --rate during each --on ns, then silent for --off ns, repeating from 0.

            Each source of --sources is an independent copy of the pattern. Stops at --duration \
            or after --records records, whichever comes first (at least one is needed).

            The output format is --to; without it OUT's extension decides (.pcap: native; .csv or \
            .txt: text). The file is written atomically.

            Example: irqbench generate --pattern poisson --rate 50000 --duration 100000000 \
            --seed 1 --out nic.pcap
            """)

    enum Pattern: String, ExpressibleByArgument, CaseIterable { case periodic, poisson, bursty }
    enum Kind: String, ExpressibleByArgument, CaseIterable { case level, edge }

    @Option(help: "Arrival pattern: periodic, poisson or bursty.")
    var pattern: Pattern

    @Option(help: ArgumentHelp("Arrivals per second per source (poisson, bursty; periodic if no --period).", valueName: "per-second"))
    var rate: Double?

    @Option(help: ArgumentHelp("Period of a periodic pattern, in ns.", valueName: "ns"))
    var period: UInt64?

    @Option(help: ArgumentHelp("Bursty: length of each burst, in ns.", valueName: "ns"))
    var on: UInt64?

    @Option(help: ArgumentHelp("Bursty: silence between bursts, in ns.", valueName: "ns"))
    var off: UInt64?

    @Option(help: ArgumentHelp("PLIC sources, comma-separated, each 1...1023.", valueName: "ids"))
    var sources: String = "1"

    @Option(help: "Request kind of every record: level or edge.")
    var kind: Kind = .level

    @Option(help: ArgumentHelp("Units of work per record: N, or A-B for uniform in A...B.", valueName: "n"))
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
        let counts = count.split(separator: "-", omittingEmptySubsequences: false).map { UInt32($0) }
        let countRange: ClosedRange<UInt32>
        switch counts.count {
        case 1 where counts[0] != nil:
            countRange = counts[0]!...counts[0]!
        case 2 where counts[0] != nil && counts[1] != nil && counts[0]! <= counts[1]!:
            countRange = counts[0]!...counts[1]!
        default:
            throw ValidationError("--count: '\(count)' is not N or A-B with A <= B")
        }
        let o = SyntheticTraceOptions(pattern: arrival, sources: ids, kind: kind == .level ? .level : .edge,
                                      count: countRange, durationNs: duration, records: records, seed: seed)
        if let problem = o.problem { throw ValidationError(problem) }
        return o
    }
}
