import Foundation

/// One compared quantity. `params` is part of the key because a sweep writes several parameter sets
/// of one trace into one file.
public struct ResultKey: Hashable, Sendable {
    public var trace: String
    public var params: String
    public var strategy: String
    public var kind: MetricKind
    public var metric: String
    public init(trace: String, params: String, strategy: String, kind: MetricKind, metric: String) {
        self.trace = trace
        self.params = params
        self.strategy = strategy
        self.kind = kind
        self.metric = metric
    }
    public var label: String { "\(trace) \(strategy) \(metric)" + (kind == .sim ? "" : " (\(kind.rawValue))") }
}

public enum Verdict: String, Sendable, Equatable {
    case better, worse, same
    /// A change that the test does not call significant, or that stays within the metric's threshold.
    case notSignificant = "~"
    /// Changed, but there is no direction to judge it by (informational metric, or a value that
    /// appeared or vanished: a distribution that had no samples on one side).
    case changed
}

public struct CompareOptions: Sendable {
    public var thresholds: Thresholds
    /// Significance level of the Mann-Whitney test for wall and live metrics.
    public var alpha: Double
    /// Match rows by (trace, strategy, metric) even when the runs used different parameters, to
    /// see what a parameter does. Each trace must then have one parameter set per side.
    public var ignoreParams: Bool
    /// Refuse (exit 3) runs whose parameters differ. Off by default: when each trace has one
    /// parameter set per side, a parameter change is compared like a code change (the point of
    /// "what does this parameter do?"), and the difference is named in the notes.
    public var strictParams: Bool
    public init(thresholds: Thresholds = Thresholds(), alpha: Double = 0.05, ignoreParams: Bool = false,
                strictParams: Bool = false) {
        self.thresholds = thresholds
        self.alpha = alpha
        self.ignoreParams = ignoreParams
        self.strictParams = strictParams
    }
}

public struct MetricComparison: Sendable {
    public var key: ResultKey
    public var direction: MetricDirection
    /// The value (sim) or the median of the repetitions (wall, live); nil when empty (no samples).
    public var old: Double?
    public var new: Double?
    public var oldCount: Int
    public var newCount: Int
    public var delta: Double?
    /// nil when there is no old value, or when the old value is 0 and the new one is not.
    public var percent: Double?
    /// Mann-Whitney p-value, for measured metrics only.
    public var pValue: Double?
    public var threshold: Double
    public var verdict: Verdict
    /// Counted against the exit code: a judged metric that got worse, or changed without direction.
    public var isRegression: Bool {
        verdict == .worse || (verdict == .changed && direction != .informational)
    }
}

/// A latency histogram (`<name>_hist_le_*` rows) whose bucket counts differ between the sides.
public struct DistributionChange: Sendable {
    public var key: ResultKey
    public var old: LatencyDistribution
    public var new: LatencyDistribution
    /// Largest vertical distance between the two CDFs (Kolmogorov-Smirnov statistic), 0...1.
    public var maxCDFDistance: Double
}

public struct ComparisonReport: Sendable {
    public var rows: [MetricComparison] = []
    public var distributions: [DistributionChange] = []
    /// Why the inputs cannot be compared; non-empty means exit 3 and `rows` is empty.
    public var incomparable: [String] = []
    /// Things worth knowing that do not stop the comparison (metrics only on one side, ...).
    public var notes: [String] = []
    public var oldCommits: [String] = []
    public var newCommits: [String] = []
    /// Rows were matched without their parameters (--ignore-params, or a single parameter change).
    public var paramsIgnored = false

    public var regressions: [MetricComparison] { rows.filter(\.isRegression) }
    public var improvements: [MetricComparison] { rows.filter { $0.verdict == .better } }

    public var exitStatus: CompareExitStatus {
        if !incomparable.isEmpty { return .notComparable }
        if !regressions.isEmpty { return .regression }
        if !improvements.isEmpty { return .improvementsOnly }
        return .noRegression
    }
}

/// The exit-code contract of `irqbench compare` (docs/compare.md).
public enum CompareExitStatus: Int32, Sendable {
    case noRegression = 0
    case regression = 1
    case improvementsOnly = 2
    case notComparable = 3

    public var meaning: String {
        switch self {
        case .noRegression: "no regression"
        case .regression: "regression beyond threshold"
        case .improvementsOnly: "improvements only"
        case .notComparable: "inputs not comparable"
        }
    }
}

public func compareResults(old: [ResultRow], new: [ResultRow], options: CompareOptions = CompareOptions()) -> ComparisonReport {
    var report = ComparisonReport()
    report.oldCommits = orderedUnique(old.map(\.commit))
    report.newCommits = orderedUnique(new.map(\.commit))
    var options = options
    if !options.ignoreParams && !options.strictParams, let changes = singleParameterChanges(old: old, new: new) {
        options.ignoreParams = true
        for c in changes { report.notes.append("parameters differ, compared anyway (--strict-params refuses): \(c)") }
    }
    report.paramsIgnored = options.ignoreParams
    report.incomparable = comparabilityProblems(old: old, new: new, ignoreParams: options.ignoreParams)
    guard report.incomparable.isEmpty else { return report }

    let keyOf: (ResultRow) -> ResultKey = { r in
        ResultKey(trace: r.trace, params: options.ignoreParams ? "" : r.params, strategy: r.strategy,
                  kind: r.kind, metric: r.metric)
    }
    let (oldOrder, oldValues) = groupValues(old, key: keyOf)
    let (newOrder, newValues) = groupValues(new, key: keyOf)
    let order = orderedUnique(oldOrder + newOrder)

    var onlyOld: [String] = [], onlyNew: [String] = []
    var histKeys: [ResultKey] = []
    for key in order {
        if LatencyBuckets.split(key.metric) != nil {
            histKeys.append(key)
            continue
        }
        // Bucket rows of another layout (results written before the log-linear buckets): not
        // metrics to judge one by one, and not comparable with this layout's buckets.
        if LatencyBuckets.isHistogramMetric(key.metric) { continue }
        guard let o = oldValues[key] else { onlyNew.append(key.label); continue }
        guard let n = newValues[key] else { onlyOld.append(key.label); continue }
        let direction = MetricDirections.direction(of: key.metric)
        if direction == .mustMatch {
            if o.sorted(by: optionalLess) != n.sorted(by: optionalLess) {
                report.incomparable.append(
                    "\(key.trace) \(key.strategy): \(key.metric) differs (OLD \(describe(o)), NEW \(describe(n))): the inputs differ")
            }
            continue
        }
        report.rows.append(compareMetric(key: key, direction: direction, old: o, new: n, options: options))
    }
    if !report.incomparable.isEmpty {
        report.rows = []
        return report
    }
    if !onlyOld.isEmpty { report.notes.append("only in OLD (not compared): " + onlyOld.joined(separator: ", ")) }
    if !onlyNew.isEmpty { report.notes.append("only in NEW (not compared): " + onlyNew.joined(separator: ", ")) }
    var otherLayout = Set<ResultKey>()
    for (side, rows) in [("OLD", old), ("NEW", new)] {
        let foreign = rows.filter { LatencyBuckets.isHistogramMetric($0.metric) && LatencyBuckets.split($0.metric) == nil }
        guard let first = foreign.first else { continue }
        report.notes.append("\(side) has latency histogram rows of another bucket layout (\(foreign.count) rows, e.g. \(first.metric)): its distributions are not compared")
        for r in foreign {
            var k = keyOf(r)
            k.metric = String(r.metric[..<r.metric.range(of: LatencyBuckets.infix, options: .backwards)!.lowerBound])
            otherLayout.insert(k)
        }
    }
    report.distributions = compareDistributions(old: old, new: new, keys: histKeys, key: keyOf)
        .filter { !otherLayout.contains($0.key) }
    return report
}

func compareMetric(key: ResultKey, direction: MetricDirection, old o: [Double?], new n: [Double?],
                   options: CompareOptions) -> MetricComparison {
    let threshold = options.thresholds.percent(for: key.metric, kind: key.kind)
    let oldNums = o.compactMap { $0 }, newNums = n.compactMap { $0 }
    // A simulated value that differs between repetitions of one file is not deterministic after all:
    // fall back to the test rather than pick one value.
    let deterministic = key.kind == .sim && Set(o).count <= 1 && Set(n).count <= 1
    var c = MetricComparison(key: key, direction: direction, old: median(oldNums), new: median(newNums),
                             oldCount: o.count, newCount: n.count, delta: nil, percent: nil, pValue: nil,
                             threshold: threshold, verdict: .same)
    guard let ov = c.old, let nv = c.new else {
        // No samples on at least one side: equal only if neither side has any.
        c.verdict = (oldNums.isEmpty && newNums.isEmpty) ? .same : .changed
        return c
    }
    c.delta = nv - ov
    if ov != 0 { c.percent = (nv - ov) / abs(ov) * 100 } else if nv == 0 { c.percent = 0 }
    // An infinite relative change (from 0) exceeds every threshold.
    let beyondThreshold = c.percent.map { abs($0) > threshold } ?? true
    let improved: Bool
    switch direction {
    case .lowerIsBetter: improved = nv < ov
    case .higherIsBetter: improved = nv > ov
    case .informational, .mustMatch: improved = false
    }
    if deterministic || oldNums.count != o.count || newNums.count != n.count {
        if nv == ov && oldNums.count == o.count && newNums.count == n.count {
            c.verdict = .same
        } else if o.sorted(by: optionalLess) == n.sorted(by: optionalLess) {
            c.verdict = .same // the same values, and as many repetitions without samples on each side
        } else if direction == .informational || direction == .mustMatch {
            c.verdict = .changed
        } else if nv == ov {
            c.verdict = .changed // some repetitions have no samples at all
        } else {
            c.verdict = beyondThreshold ? (improved ? .better : .worse) : .notSignificant
        }
        return c
    }
    let test = MannWhitney(oldNums, newNums)
    c.pValue = test?.pValue
    if oldNums == newNums {
        c.verdict = .same
    } else if let p = c.pValue, p < options.alpha, beyondThreshold, nv != ov {
        c.verdict = direction == .informational ? .changed : (improved ? .better : .worse)
    } else {
        c.verdict = .notSignificant
    }
    return c
}

func compareDistributions(old: [ResultRow], new: [ResultRow], keys: [ResultKey],
                          key keyOf: (ResultRow) -> ResultKey) -> [DistributionChange] {
    // Group the bucket rows of each distribution; repetitions are summed, as the format allows.
    func distributions(_ rows: [ResultRow]) -> [ResultKey: LatencyDistribution] {
        var out: [ResultKey: LatencyDistribution] = [:]
        for r in rows {
            guard let (name, index) = LatencyBuckets.split(r.metric), let count = UInt64(r.value) else { continue }
            var k = keyOf(r)
            k.metric = name
            out[k, default: LatencyDistribution()].add(count, toBucket: index)
        }
        return out
    }
    let o = distributions(old), n = distributions(new)
    var seen = Set<ResultKey>()
    var changes: [DistributionChange] = []
    for var k in keys {
        guard let (name, _) = LatencyBuckets.split(k.metric) else { continue }
        k.metric = name
        guard seen.insert(k).inserted else { continue }
        let od = o[k] ?? LatencyDistribution(), nd = n[k] ?? LatencyDistribution()
        if od.counts != nd.counts {
            changes.append(DistributionChange(key: k, old: od, new: nd, maxCDFDistance: od.maxCDFDistance(to: nd)))
        }
    }
    return changes
}

/// When every trace common to both sides has exactly one parameter set per side and some differ:
/// the differences, one line per trace. Nil otherwise (same parameters, or sweeps of several
/// parameter sets, which cannot be paired without --ignore-params).
func singleParameterChanges(old: [ResultRow], new: [ResultRow]) -> [String]? {
    let op = Dictionary(grouping: old, by: \.trace).mapValues { orderedUnique($0.map(\.params)) }
    let np = Dictionary(grouping: new, by: \.trace).mapValues { orderedUnique($0.map(\.params)) }
    var changes: [String] = []
    for t in orderedUnique(old.map(\.trace)) {
        guard let o = op[t], let n = np[t] else { continue }
        guard o.count == 1, n.count == 1 else { return nil }
        if o[0] != n[0] { changes.append("trace \(t): \(paramsDifference(o[0], n[0]))") }
    }
    return changes.isEmpty ? nil : changes
}

/// Everything that makes two results files answer different questions, in words a person can act on.
func comparabilityProblems(old: [ResultRow], new: [ResultRow], ignoreParams: Bool) -> [String] {
    var problems: [String] = []
    if old.isEmpty { problems.append("OLD has no result rows") }
    if new.isEmpty { problems.append("NEW has no result rows") }
    if !problems.isEmpty { return problems }

    let os = Set(old.map(\.schema)), ns = Set(new.map(\.schema))
    if os != ns {
        problems.append("schema: OLD has version \(listed(os.sorted().map(String.init))), NEW has \(listed(ns.sorted().map(String.init)))")
    }
    let ok = Set(old.map(\.kind.rawValue)), nk = Set(new.map(\.kind.rawValue))
    if ok != nk {
        problems.append("kinds: OLD has \(listed(ok.sorted())), NEW has \(listed(nk.sorted()))")
    }

    let oldTraces = orderedUnique(old.map(\.trace)), newTraces = orderedUnique(new.map(\.trace))
    let oldSHA = Dictionary(grouping: old, by: \.trace).mapValues { Set($0.map(\.traceSHA256)) }
    let newSHA = Dictionary(grouping: new, by: \.trace).mapValues { Set($0.map(\.traceSHA256)) }
    let onlyOld = oldTraces.filter { newSHA[$0] == nil }, onlyNew = newTraces.filter { oldSHA[$0] == nil }
    if !onlyOld.isEmpty || !onlyNew.isEmpty {
        var s = "traces differ:"
        if !onlyOld.isEmpty { s += " only in OLD: \(listed(onlyOld));" }
        if !onlyNew.isEmpty { s += " only in NEW: \(listed(onlyNew));" }
        problems.append(String(s.dropLast()))
    }
    for t in oldTraces where newSHA[t] != nil && oldSHA[t] != newSHA[t] {
        problems.append("trace \(t): different contents (sha256 OLD \(listed(oldSHA[t]!.sorted().map(shortSHA))), NEW \(listed(newSHA[t]!.sorted().map(shortSHA))))")
    }

    let common = oldTraces.filter { newSHA[$0] != nil }
    let oldParams = Dictionary(grouping: old, by: \.trace).mapValues { orderedUnique($0.map(\.params)) }
    let newParams = Dictionary(grouping: new, by: \.trace).mapValues { orderedUnique($0.map(\.params)) }
    for t in common {
        let op = oldParams[t]!, np = newParams[t]!
        if ignoreParams {
            if op.count > 1 || np.count > 1 {
                problems.append("trace \(t): --ignore-params needs one parameter set per side (OLD has \(op.count), NEW \(np.count))")
            }
        } else if Set(op) != Set(np) {
            if op.count == 1 && np.count == 1 {
                problems.append("trace \(t): parameters differ: \(paramsDifference(op[0], np[0]))")
            } else {
                let missing = op.filter { !np.contains($0) }.map(quotedParams), added = np.filter { !op.contains($0) }.map(quotedParams)
                problems.append("trace \(t): parameter sets differ: only in OLD \(listed(missing)); only in NEW \(listed(added))")
            }
        }
    }

    // Strategy sets are checked per trace and parameter set: a missing strategy is a missing answer.
    func strategies(_ rows: [ResultRow]) -> [String: [String]] {
        Dictionary(grouping: rows, by: { "\($0.trace)\u{0}\(ignoreParams ? "" : $0.params)" })
            .mapValues { orderedUnique($0.map(\.strategy)) }
    }
    if problems.isEmpty {
        let oss = strategies(old), nss = strategies(new)
        for (k, o) in oss.sorted(by: { $0.key < $1.key }) {
            guard let n = nss[k], Set(o) != Set(n) else { continue }
            let parts = k.split(separator: "\u{0}", omittingEmptySubsequences: false)
            let where_ = "trace \(parts[0])" + (parts[1].isEmpty ? "" : " (\(parts[1]))")
            var s = "\(where_): strategies differ:"
            let a = o.filter { !n.contains($0) }, b = n.filter { !o.contains($0) }
            if !a.isEmpty { s += " only in OLD: \(listed(a));" }
            if !b.isEmpty { s += " only in NEW: \(listed(b));" }
            problems.append(String(s.dropLast()))
        }
    }
    return problems
}

/// "ratelimit_count: 10000 (OLD) vs 100 (NEW)", parameter by parameter; absent means the default.
public func paramsDifference(_ old: String, _ new: String) -> String {
    // Crossover's reading of a params text: an item without `=` (or `=` alone) does not trap.
    func parse(_ s: String) -> [(String, String)] { Crossover.assignments(s).map { ($0.name, $0.value) } }
    let o = parse(old), n = parse(new)
    let od = Dictionary(o, uniquingKeysWith: { a, _ in a }), nd = Dictionary(n, uniquingKeysWith: { a, _ in a })
    let names = orderedUnique(o.map(\.0) + n.map(\.0))
    let diffs = names.compactMap { name -> String? in
        guard od[name] != nd[name] else { return nil }
        return "\(name) \(od[name] ?? "default") (OLD) vs \(nd[name] ?? "default") (NEW)"
    }
    return diffs.isEmpty ? "'\(old)' vs '\(new)'" : diffs.joined(separator: ", ")
}

func quotedParams(_ p: String) -> String { p.isEmpty ? "defaults" : "'\(p)'" }
func shortSHA(_ s: String) -> String { s.count > 12 ? String(s.prefix(12)) + "…" : s }
func listed(_ items: [String]) -> String { items.isEmpty ? "none" : items.joined(separator: ", ") }

func groupValues(_ rows: [ResultRow], key: (ResultRow) -> ResultKey) -> ([ResultKey], [ResultKey: [Double?]]) {
    var order: [ResultKey] = []
    var values: [ResultKey: [Double?]] = [:]
    for r in rows {
        let k = key(r)
        if values[k] == nil { order.append(k) }
        values[k, default: []].append(r.value.isEmpty ? nil : Double(r.value))
    }
    return (order, values)
}

func orderedUnique<T: Hashable>(_ xs: [T]) -> [T] {
    var seen = Set<T>()
    return xs.filter { seen.insert($0).inserted }
}

func median(_ xs: [Double]) -> Double? {
    guard !xs.isEmpty else { return nil }
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func optionalLess(_ a: Double?, _ b: Double?) -> Bool {
    switch (a, b) {
    case (nil, nil): false
    case (nil, _): true
    case (_, nil): false
    case let (x?, y?): x < y
    }
}

func describe(_ values: [Double?]) -> String {
    let distinct = orderedUnique(values.map { $0.map(formatNumber) ?? "empty" })
    return distinct.joined(separator: "/")
}
