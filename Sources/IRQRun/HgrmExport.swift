import Foundation
import IRQReplay
import IRQResults

/// `irqbench run --hgrm DIR` and `irqbench live --hgrm DIR`: latency distributions as HdrHistogram
/// percentile distribution files (`.hgrm`, values in microseconds), for HdrHistogram's plotters.
public enum HgrmExport {
    /// `<trace>.<strategy>[.rep<N>].<distribution>.hgrm`, e.g. `nic-poisson.pcap.guest-end.request_to_done.hgrm`.
    public static func fileName(trace: String, strategy: String, rep: Int? = nil, distribution: String) -> String {
        "\(trace).\(strategy)\(rep.map { ".rep\($0)" } ?? "").\(distribution).hgrm"
    }

    /// Writes one file per distribution with samples (each atomically) and returns the paths.
    public static func write(trace: String, strategy: String, rep: Int? = nil,
                             distributions: [(name: String, distribution: Distribution)], to directory: String) throws -> [String] {
        var written: [String] = []
        for (name, d) in distributions {
            guard let text = d.percentileDistributionText() else { continue }
            let path = (directory as NSString).appendingPathComponent(
                fileName(trace: trace, strategy: strategy, rep: rep, distribution: name))
            try writeFileAtomically(text, to: path)
            written.append(path)
        }
        return written
    }

    /// Every distribution of every replay. Replays on controllers other than the PLIC carry the
    /// controllers in the strategy part of the name (`host-end@aplic-msi`), so runs of several
    /// controllers do not overwrite each other.
    public static func write(_ outcomes: [ReplayOutcome], to directory: String) throws -> [String] {
        try outcomes.flatMap { o in
            try write(trace: o.traceName, strategy: o.seriesLabel, distributions: o.metrics.distributions, to: directory)
        }
    }
}
