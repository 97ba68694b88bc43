import Foundation

/// Which strategy wins where on a swept parameter, from a sweep's results.
///
/// A strategy wins at a grid point when its value of the metric is the best there by the metric's
/// direction (`MetricDirections`: lower is better for latencies, counts, storms). Equal best values
/// share the win ("guest-end=hw-eoi"). Along the swept parameter `over`, points are ordered by
/// value (numerically when every value is a number, else as first seen), one line ("slice") per
/// trace and setting of the other parameters; a crossover is where none of the strategies that
/// led so far is among the winners any more (a tie on the way is no crossover by itself). With a baseline, each other strategy's wins over it are given as ranges of the
/// swept values, in words: "guest-end beats host-end on request_to_done_p99 once service >= 8000".
public struct CrossoverReport: Sendable, Equatable {
    public var metric: String
    public var direction: MetricDirection
    /// The swept parameter, nil when the rows hold a single grid point per trace.
    public var over: String?
    public var baseline: String?
    /// In the order the rows name them.
    public var strategies: [String]
    public var slices: [Slice]

    public struct Point: Sendable, Equatable {
        /// The value of `over` here ("" without `over`).
        public var value: String
        /// The metric per strategy (`strategies` order); nil where there is no value (no samples).
        public var values: [Double?]
        /// The winning strategies (more than one on a tie); empty when no strategy has a value.
        public var best: [String]
        public var bestValue: Double?
    }

    public struct Change: Sendable, Equatable {
        public var from: [String]
        public var to: [String]
        /// The neighbouring values of `over` between which the winner changes.
        public var before: String
        public var after: String
        public init(from: [String], to: [String], before: String, after: String) {
            self.from = from
            self.to = to
            self.before = before
            self.after = after
        }
    }

    public struct Win: Sendable, Equatable {
        public var strategy: String
        /// The values of `over` where `strategy` is strictly better than the baseline.
        public var values: [String]
        /// The sentence that says it.
        public var sentence: String
    }

    public struct Slice: Sendable, Equatable {
        public var trace: String
        /// The other parameters of the slice (`params` without `over`).
        public var others: String
        public var points: [Point]
        public var changes: [Change]
        public var wins: [Win]
    }
}

public struct CrossoverError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ d: String) { description = d }
}

public enum Crossover {
    /// The rows of `metric` in a results file, read as a stream: only the metric's rows are kept.
    public static func rows(path: String, metric: String) throws -> [ResultRow] {
        let reader = try ResultsFileReader(path: path)
        var out: [ResultRow] = []
        while let r = try reader.nextRow() {
            if r.metric == metric { out.append(r) }
        }
        return out
    }

    /// `name=value` pairs of a params text, in order.
    public static func assignments(_ params: String) -> [(name: String, value: String)] {
        params.split(separator: ";").map { (part: Substring) -> (name: String, value: String) in
            guard let eq = part.firstIndex(of: "=") else { return (String(part), "") }
            return (String(part[..<eq]), String(part[part.index(after: eq)...]))
        }
    }

    /// The parameters whose value differs between rows, in the order they first appear (the
    /// grid's order in a sweep). A parameter missing from some rows varies too: it is at its
    /// default there.
    public static func sweptParameters(_ rows: [ResultRow]) -> [String] {
        var order: [String] = []
        var values: [String: Set<String>] = [:]
        var present: [String: Int] = [:]
        let sets = orderedUnique(rows.map(\.params))
        for p in sets {
            for (n, v) in assignments(p) {
                if values[n] == nil { order.append(n) }
                values[n, default: []].insert(v)
                present[n, default: 0] += 1
            }
        }
        return order.filter { values[$0]!.count > 1 || present[$0]! < sets.count }
    }

    public static func analyse(rows allRows: [ResultRow], metric: String, over: String?, baseline: String?) throws -> CrossoverReport {
        let direction = MetricDirections.direction(of: metric)
        guard direction == .lowerIsBetter || direction == .higherIsBetter else {
            throw CrossoverError("\(metric) has no better direction (it is \(direction == .mustMatch ? "a must-match input fact" : "informational")): pick a latency, count or time metric")
        }
        let rows = allRows.filter { $0.metric == metric }
        guard !rows.isEmpty else { throw CrossoverError("no rows of metric \(metric)") }
        var strategies: [String] = []
        for r in rows where !strategies.contains(r.strategy) { strategies.append(r.strategy) }
        if let b = baseline, !strategies.contains(b) {
            throw CrossoverError("baseline \(b) has no rows of \(metric) (strategies: \(strategies.joined(separator: ", ")))")
        }
        if let o = over, !rows.contains(where: { r in assignments(r.params).contains { $0.name == o } }) {
            throw CrossoverError("no row names parameter \(o) in its params")
        }

        struct Key: Hashable { var trace: String; var params: String; var strategy: String }
        var value: [Key: Double?] = [:]
        for r in rows {
            let k = Key(trace: r.trace, params: r.params, strategy: r.strategy)
            guard value[k] == nil else {
                throw CrossoverError("two values of \(metric) for \(r.trace) \(r.strategy) at '\(r.params)' (repetitions or concatenated files): crossover needs one per point")
            }
            guard r.value.isEmpty || Double(r.value) != nil else {
                throw CrossoverError("\(r.trace) \(r.strategy) at '\(r.params)': \(metric) = '\(r.value)' is not a number")
            }
            value[k] = r.value.isEmpty ? .some(nil) : Double(r.value)
        }

        var traces: [String] = []
        for r in rows where !traces.contains(r.trace) { traces.append(r.trace) }
        var slices: [CrossoverReport.Slice] = []
        for trace in traces {
            // Slices in first-seen order; points within a slice ordered by the swept value.
            var sliceOrder: [String] = []
            var pointsOf: [String: [(value: String, params: String)]] = [:]
            var seenParams = Set<String>()
            for r in rows where r.trace == trace && seenParams.insert(r.params).inserted {
                let a = assignments(r.params)
                let v = over.flatMap { o in a.first { $0.name == o }?.value }
                if over != nil && v == nil { continue } // a row outside the sweep of `over`
                let others = a.filter { $0.name != over }.map { "\($0.name)=\($0.value)" }.joined(separator: ";")
                if pointsOf[others] == nil { sliceOrder.append(others) }
                pointsOf[others, default: []].append((v ?? "", r.params))
            }
            for others in sliceOrder {
                let ordered = orderValues(pointsOf[others]!)
                let points = ordered.map { p -> CrossoverReport.Point in
                    let values = strategies.map { s in value[Key(trace: trace, params: p.params, strategy: s)] ?? nil }
                    let (best, bestValue) = winners(strategies: strategies, values: values, direction: direction)
                    return .init(value: p.value, values: values, best: best, bestValue: bestValue)
                }
                let changes = crossovers(points)
                var wins: [CrossoverReport.Win] = []
                if let base = baseline, let bi = strategies.firstIndex(of: base), over != nil {
                    let numeric = points.allSatisfy { Double($0.value) != nil }
                    for (si, s) in strategies.enumerated() where si != bi {
                        let flags = points.map { p -> Bool in
                            guard let x = p.values[si], let y = p.values[bi] else { return false }
                            return direction == .lowerIsBetter ? x < y : x > y
                        }
                        let sentence = winSentence(strategy: s, baseline: base, metric: metric, over: over!,
                                                   values: points.map(\.value), flags: flags, numeric: numeric)
                        wins.append(.init(strategy: s, values: zip(points, flags).filter { $1 }.map { $0.0.value }, sentence: sentence))
                    }
                }
                slices.append(.init(trace: trace, others: others, points: points, changes: changes, wins: wins))
            }
        }
        return CrossoverReport(metric: metric, direction: direction, over: over, baseline: baseline,
                               strategies: strategies, slices: slices)
    }

    /// Where the winner changes along a slice. A tie is no change while one strategy stays among
    /// the best: the leader is followed as the strategies best at every point since the last
    /// change, and a change is a point none of whose winners is among them (reported between it and
    /// the point before). Points without values are passed over.
    static func crossovers(_ points: [CrossoverReport.Point]) -> [CrossoverReport.Change] {
        var changes: [CrossoverReport.Change] = []
        var leaders: [String] = []
        var previous: CrossoverReport.Point? = nil
        for p in points where !p.best.isEmpty {
            let staying = leaders.filter { p.best.contains($0) }
            if let prev = previous, staying.isEmpty {
                changes.append(.init(from: leaders, to: p.best, before: prev.value, after: p.value))
                leaders = p.best
            } else {
                leaders = previous == nil ? p.best : staying
            }
            previous = p
        }
        return changes
    }

    /// Numeric order when every value is a number, else the order of first appearance.
    static func orderValues(_ points: [(value: String, params: String)]) -> [(value: String, params: String)] {
        guard points.allSatisfy({ Double($0.value) != nil }) else { return points }
        return points.enumerated().sorted { a, b in
            let x = Double(a.element.value)!, y = Double(b.element.value)!
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
    }

    static func winners(strategies: [String], values: [Double?], direction: MetricDirection) -> ([String], Double?) {
        var best: Double? = nil
        for v in values {
            guard let v else { continue }
            if best == nil || (direction == .lowerIsBetter ? v < best! : v > best!) { best = v }
        }
        guard let best else { return ([], nil) }
        return (zip(strategies, values).filter { $1 == best }.map(\.0), best)
    }

    /// "guest-end beats host-end on M once service >= 8000 (the change lies between 4000 and
    /// 8000)", "... while service <= 2000 ...", "... at every swept service (500 to 64000)",
    /// "... at no swept service", or the runs of values where it does.
    static func winSentence(strategy s: String, baseline b: String, metric m: String, over o: String,
                            values: [String], flags: [Bool], numeric: Bool) -> String {
        let head = "\(s) beats \(b) on \(m)"
        guard let first = values.first, let last = values.last else { return "\(head): no points" }
        if flags.allSatisfy({ $0 }) { return "\(head) at every swept \(o) (\(first)\(values.count > 1 ? " to \(last)" : ""))" }
        if !flags.contains(true) { return "\(head) at no swept \(o) (\(first)\(values.count > 1 ? " to \(last)" : ""))" }
        guard numeric else {
            return "\(head) when \(o) is \(zip(values, flags).filter { $1 }.map(\.0).joined(separator: ", "))"
        }
        // Runs of consecutive winning points.
        var runs: [(Int, Int)] = []
        for (i, f) in flags.enumerated() where f {
            if let l = runs.last, l.1 == i - 1 { runs[runs.count - 1].1 = i } else { runs.append((i, i)) }
        }
        if runs.count == 1 {
            let (lo, hi) = runs[0]
            if hi == values.count - 1 {
                return "\(head) once \(o) >= \(values[lo]) (the change lies between \(values[lo - 1]) and \(values[lo]))"
            }
            if lo == 0 {
                return "\(head) while \(o) <= \(values[hi]) (the change lies between \(values[hi]) and \(values[hi + 1]))"
            }
        }
        let ranges = runs.map { $0.0 == $0.1 ? "\(values[$0.0])" : "\(values[$0.0]) to \(values[$0.1])" }
        return "\(head) for \(o) in " + ranges.joined(separator: ", ") + " (of \(first) to \(last))"
    }
}
