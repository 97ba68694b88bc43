import IRQTrace

/// Everything that decides which replays a sweep makes and what its rows say, and nothing else
/// (not --jobs, not --shard): two runs with equal plans write the same rows.
///
/// Replays are numbered point-major: replay j is grid point `j / (traces * strategies)`, then the
/// trace, then the strategy (the last fastest). The results file lists them in that order.
public struct SweepPlan: Equatable, Sendable {
    public struct Trace: Equatable, Sendable {
        /// As given on the command line (opened by the replay).
        public var path: String
        /// The `trace` column.
        public var name: String
        public var sha256: String
        public init(path: String, name: String, sha256: String) {
            self.path = path
            self.name = name
            self.sha256 = sha256
        }
    }

    public var grid: Grid
    public var traces: [Trace]
    public var strategies: [String]
    /// The `params` text of the settings every point shares (--param, --sources digest).
    public var fixedParams: String
    public var commit: String
    /// How traces are read (part of what must match for parts to merge).
    public var reading: String

    public init(grid: Grid, traces: [Trace], strategies: [String], fixedParams: String, commit: String, reading: String) {
        self.grid = grid
        self.traces = traces
        self.strategies = strategies
        self.fixedParams = fixedParams
        self.commit = commit
        self.reading = reading
    }

    public var replayCount: Int {
        let (a, o1) = grid.pointCount.multipliedReportingOverflow(by: traces.count)
        let (b, o2) = a.multipliedReportingOverflow(by: strategies.count)
        return o1 || o2 ? Int.max : b
    }

    public struct Replay: Equatable, Sendable {
        public var point: Int
        public var trace: Int
        public var strategy: Int
        public init(point: Int, trace: Int, strategy: Int) {
            self.point = point
            self.trace = trace
            self.strategy = strategy
        }
    }

    public func replay(_ j: Int) -> Replay {
        let s = strategies.count, t = traces.count
        return Replay(point: j / (s * t), trace: (j / s) % t, strategy: j % s)
    }

    /// The `params` column of point `p`: the platform preset if any (`platform=NAME`, the
    /// calibration every row starts from), the grid point (every axis), then the other shared settings.
    public func params(at p: Int) -> String {
        var fixed = fixedParams.split(separator: ";").map(String.init)
        let platform = fixed.first?.hasPrefix("platform=") == true ? [fixed.removeFirst()] : []
        return (platform + [grid.description(at: p)].filter { !$0.isEmpty } + fixed).joined(separator: ";")
    }

    /// One line naming replay j for messages: where in the grid, which trace and strategy.
    public func describe(_ j: Int) -> String {
        let r = replay(j)
        let p = params(at: r.point)
        return "\(p.isEmpty ? "defaults" : p) \(traces[r.trace].name) \(strategies[r.strategy])"
    }

    /// The reading options as text, every field, fixed order.
    public static func readingDescription(_ o: TraceOptions) -> String {
        let irqs = o.irqs.map { $0.sorted().map(String.init).joined(separator: "+") } ?? "all"
        return "strict=\(o.strict ? 1 : 0);max_gap=\(o.maxGapNs.map(String.init) ?? "none");capture_source=\(o.captureSource)"
            + ";seed=\(o.seed);irqs=\(irqs);cpu=\(o.cpu.map(String.init) ?? "all")"
    }
}
