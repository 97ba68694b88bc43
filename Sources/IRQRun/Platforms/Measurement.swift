import Foundation

/// One published measurement: a mean (ns) over samples, with the file it was computed from.
/// Presets are fitted to some of them (their `role` is `.fit`); the others are shipped only to be
/// compared with what the model predicts (`.check`), and no preset value may depend on them.
public struct Measurement: Sendable, Hashable {
    public enum Role: String, Sendable {
        /// Sets a preset parameter (docs/validation.md "The fit").
        case fit
        /// Only compared with the model (docs/validation.md "Predictions"); never fitted.
        case check
    }

    /// Stable identifier, e.g. `sl.irqlat.bao`; also the name of the row in
    /// scripts/calibration/shedding-light-derived.csv (`quantity,hypervisor` joined by a dot).
    public let id: String
    /// What was measured, in a phrase.
    public let what: String
    public let meanNs: Double
    public let minNs: Double?
    public let maxNs: Double?
    /// Samples (or runs) the mean is over.
    public let samples: Int
    public let role: Role
    public let citation: Citation
    /// The file of the source the number comes from (artifact path, or the message).
    public let file: String

    /// `905.85 ns (840-930, n = 200)`
    public var summary: String {
        var s = "\(Measurement.format(meanNs)) ns"
        if let lo = minNs, let hi = maxNs { s += " (\(Measurement.format(lo))-\(Measurement.format(hi)), n = \(samples))" }
        else if samples > 1 { s += " (n = \(samples))" }
        return s
    }

    /// Shortest decimal text of a mean: 905.85, 630, 222.2.
    public static func format(_ v: Double) -> String {
        let cents = (v * 100).rounded()
        if cents.truncatingRemainder(dividingBy: 100) == 0 { return String(Int64(cents / 100)) }
        if cents.truncatingRemainder(dividingBy: 10) == 0 { return String(format: "%.1f", cents / 100) }
        return String(format: "%.2f", cents / 100)
    }
}
