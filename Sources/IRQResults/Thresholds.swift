import Foundation

/// How large a change (in percent of the old value) must be before compare calls it better or worse.
///
/// A file (`--thresholds FILE`) holds CSV lines `metric,percent[,kind]`:
/// - `metric` is a glob (`*`, `?`), e.g. `claim_to_complete_*`;
/// - `percent` is a non-negative decimal (`0` = any change counts);
/// - `kind` is `sim`, `wall`, `live` or `*` (default `*`).
/// Blank lines, lines starting with `#` and a header line `metric,percent[,kind]` are ignored.
/// The first matching line of the file wins; the defaults apply when no line matches.
public struct Thresholds: Sendable, Equatable {
    public struct Rule: Sendable, Equatable {
        public var metric: String
        public var kind: MetricKind?
        public var percent: Double
        public init(metric: String, kind: MetricKind? = nil, percent: Double) {
            self.metric = metric
            self.kind = kind
            self.percent = percent
        }
    }

    /// Simulated metrics are deterministic, so any change is real. Wall-clock figures on a shared VM
    /// wobble by a few percent even when the test says the shift is significant; live latencies more.
    public static let defaultRules: [Rule] = [
        Rule(metric: "*", kind: .sim, percent: 0),
        Rule(metric: "*", kind: .wall, percent: 5),
        Rule(metric: "*", kind: .live, percent: 10),
    ]

    public var rules: [Rule]

    /// `rules` are tried before the defaults.
    public init(rules: [Rule] = []) { self.rules = rules }

    public func percent(for metric: String, kind: MetricKind) -> Double {
        for r in rules + Self.defaultRules where (r.kind == nil || r.kind == kind) && globMatch(r.metric, metric) {
            return r.percent
        }
        return 0
    }

    public static func parse(_ text: String, file: String) throws -> Thresholds {
        var rules: [Rule] = []
        for (n, raw) in CSVText.numberedLines(text) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            if f.first == "metric" && f.count >= 2 && f[1] == "percent" { continue }
            guard f.count == 2 || f.count == 3, !f[0].isEmpty else {
                throw ResultsFormatError(file: file, line: n, reason: "expected 'metric,percent[,kind]'")
            }
            guard let p = Double(f[1].hasSuffix("%") ? String(f[1].dropLast()) : f[1]), p >= 0, p.isFinite else {
                throw ResultsFormatError(file: file, line: n, reason: "percent '\(f[1])' is not a non-negative number")
            }
            var kind: MetricKind? = nil
            if f.count == 3 && f[2] != "*" && !f[2].isEmpty {
                guard let k = MetricKind(rawValue: f[2]) else {
                    throw ResultsFormatError(file: file, line: n, reason: "kind '\(f[2])' is not sim, wall, live or *")
                }
                kind = k
            }
            rules.append(Rule(metric: f[0], kind: kind, percent: p))
        }
        return Thresholds(rules: rules)
    }

    public static func load(path: String) throws -> Thresholds {
        try parse(try ResultsCSV.text(of: path), file: path)
    }
}
