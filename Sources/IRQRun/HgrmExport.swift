import Foundation
import IRQReplay
import IRQResults

/// `irqbench run --hgrm DIR`: every latency distribution of every replay as an HdrHistogram
/// percentile distribution file (`.hgrm`, values in microseconds), for HdrHistogram's plotters.
public enum HgrmExport {
    /// `<trace>.<strategy>.<distribution>.hgrm`, e.g. `nic-poisson.pcap.guest-end.request_to_done.hgrm`.
    public static func fileName(trace: String, strategy: String, distribution: String) -> String {
        "\(trace).\(strategy).\(distribution).hgrm"
    }

    /// Writes one file per distribution with samples (each atomically) and returns the paths.
    public static func write(_ outcomes: [ReplayOutcome], to directory: String) throws -> [String] {
        var written: [String] = []
        for o in outcomes {
            for (name, d) in o.metrics.distributions {
                guard let text = d.percentileDistributionText() else { continue }
                let path = (directory as NSString).appendingPathComponent(
                    fileName(trace: o.traceName, strategy: o.strategy.rawValue, distribution: name))
                try writeFileAtomically(text, to: path)
                written.append(path)
            }
        }
        return written
    }
}
