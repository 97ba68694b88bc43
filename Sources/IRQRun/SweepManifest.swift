import IRQResults

/// The comment lines that open a part file (`irqbench sweep --shard`): which sweep it belongs to
/// and which part it is, so `irqbench merge` can check the parts and put them back in order.
///
///     # irqbench-sweep-part: 1/4
///     # schema: 1
///     # commit: 5286da0c1f2e
///     # axis: service=1000,2000,4000
///     # fixed: vcpu_period=1000000
///     # trace: nic-poisson.pcap 9f2c...
///     # strategies: host-end,guest-end
///     # reading: strict=0;max_gap=none;capture_source=1;seed=1;irqs=all;cpu=all
///
/// A replay that failed leaves `# failed: <j> <what>: <why>` where its rows would have been (one
/// whose strategy the point's controllers cannot run, `# skipped: ...`), and
/// the part ends with `# irqbench-sweep-part-end: <replays> replays, <rows> rows`, so that a part
/// cut short in transit is told from a complete one.
/// Results readers skip comment lines, so a part is also an ordinary results file.
public enum SweepManifest {
    static let partKey = "irqbench-sweep-part"
    static let endKey = "irqbench-sweep-part-end"

    public static func endLine(replays: Int, rows: Int) -> String {
        "# \(endKey): \(replays) replays, \(rows) rows\n"
    }

    /// (replays, rows) of an end line, nil for any other line.
    public static func end(_ line: String) -> (replays: Int, rows: Int)? {
        guard let (key, value) = keyValue(line), key == endKey else { return nil }
        let words = value.split(separator: " ")
        guard words.count == 4, words[1] == "replays,", words[3] == "rows", let r = Int(words[0]), let n = Int(words[2]) else { return nil }
        return (r, n)
    }

    /// Every line but the first: what must be equal in all parts of one sweep.
    public static func identityLines(_ plan: SweepPlan) -> [String] {
        var lines = ["# schema: \(ResultsSchema.version)", "# commit: \(plan.commit)"]
        for a in plan.grid.axes { lines.append("# axis: \(a.name)=\(a.values.joined(separator: ","))") }
        lines.append("# fixed: \(plan.fixedParams)")
        for t in plan.traces { lines.append("# trace: \(t.name) \(t.sha256)") }
        lines.append("# strategies: \(plan.strategies.joined(separator: ","))")
        lines.append("# reading: \(plan.reading)")
        return lines
    }

    public static func render(_ plan: SweepPlan, shard: Shard) -> String {
        (["# \(partKey): \(shard)"] + identityLines(plan)).map { $0 + "\n" }.joined()
    }

    /// Why a replay has no rows in a part.
    public enum Gap: String, Sendable {
        /// The replay failed (reported, exit status 1).
        case failed
        /// The point's controllers cannot run the strategy (left out, not an error).
        case skipped
    }

    /// `# failed: <j> <what>: <why>` (or `# skipped: ...`), in place of replay j's rows.
    public static func gapLine(_ gap: Gap, replay j: Int, plan: SweepPlan, message: String) -> String {
        let oneLine = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        return "# \(gap.rawValue): \(j) \(plan.describe(j)): \(oneLine)\n"
    }

    /// The kind and replay number of a gap line, nil for any other line.
    public static func gap(_ line: String) -> (gap: Gap, replay: Int)? {
        guard let (key, value) = keyValue(line), let g = Gap(rawValue: key),
              let j = value.split(separator: " ", maxSplits: 1).first.flatMap({ Int($0) }) else { return nil }
        return (g, j)
    }

    public struct Part: Sendable {
        public var shard: Shard
        public var plan: SweepPlan
        /// The identity lines as read, to say how two parts differ.
        public var identity: [String]
    }

    /// Reads the comment lines before a part's header; throws a one-line reason when they are not
    /// a part's manifest.
    public static func parse(_ comments: [String], file: String) throws(GridError) -> Part {
        guard let first = comments.first, let (k, v) = keyValue(first), k == partKey else {
            throw GridError("\(file): not a sweep part (no '# \(partKey): i/N' line first; parts are written by irqbench sweep --shard)")
        }
        let shard = try Shard(parsing: v)
        var schema: Int?, commit: String?, fixed: String?, strategies: [String]?, reading: String?
        var axes: [GridAxis] = [], traces: [SweepPlan.Trace] = []
        for line in comments.dropFirst() {
            guard let (key, value) = keyValue(line) else { throw GridError("\(file): unexpected comment '\(line)' in the sweep manifest") }
            switch key {
            case "schema": schema = Int(value)
            case "commit": commit = value
            case "axis": axes.append(try GridSyntax.parseAxis(value))
            case "fixed": fixed = value
            case "trace":
                guard let space = value.lastIndex(of: " ") else { throw GridError("\(file): bad trace line '\(line)'") }
                let name = String(value[..<space])
                traces.append(.init(path: name, name: name, sha256: String(value[value.index(after: space)...])))
            case "strategies": strategies = value.split(separator: ",").map(String.init)
            case "reading": reading = value
            default: throw GridError("\(file): unknown sweep manifest line '\(line)'")
            }
        }
        guard let schema, let commit, let fixed, let strategies, let reading, !traces.isEmpty, !strategies.isEmpty else {
            throw GridError("\(file): the sweep manifest is incomplete (schema, commit, fixed, trace, strategies and reading lines are needed)")
        }
        guard schema == ResultsSchema.version else {
            throw GridError("\(file): results schema \(schema), this irqbench writes \(ResultsSchema.version)")
        }
        let plan = SweepPlan(grid: try Grid(axes: axes), traces: traces, strategies: strategies,
                             fixedParams: fixed, commit: commit, reading: reading)
        return Part(shard: shard, plan: plan, identity: Array(comments.dropFirst()))
    }

    /// `# key: value` -> (key, value).
    static func keyValue(_ line: String) -> (String, String)? {
        guard line.hasPrefix("# "), let colon = line.firstIndex(of: ":") else { return nil }
        let key = String(line[line.index(line.startIndex, offsetBy: 2)..<colon])
        var value = line[line.index(after: colon)...]
        if value.hasPrefix(" ") { value = value.dropFirst() }
        return (key, String(value))
    }
}
