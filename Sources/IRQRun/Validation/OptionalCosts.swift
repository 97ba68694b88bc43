import IRQReplay

/// What the two optional overflow costs of the GIC model (`lr_overflow_cost`, `refill_scan`;
/// docs/model.md G.9) change on a calibrated preset. Each is fitted here to measurements the
/// validation uses as predictions, so these runs explain misses; they are not evidence.
public struct OptionalCostRun: Sendable {
    public struct Change: Sendable {
        public var quantity: String
        public var before: Double
        public var after: Double
        public var measured: Double
    }

    public var platform: String
    public var parameter: String
    /// The values replayed, e.g. `lr_overflow_cost=168`.
    public var setting: String
    /// How the value was fitted, with the arithmetic.
    public var fittedTo: String
    public var changes: [Change]
    /// Why the cost cannot be fitted on this preset (then `changes` is empty).
    public var notApplicable: String?
}

public enum OptionalCosts {
    /// Injects that overflowed or evicted (each carries one `lr_overflow_cost`).
    static func spills(_ m: ReplayMetrics) -> UInt64 {
        (m.gic?.lrOverflows ?? 0) + (m.gic?.lrEvictions ?? 0)
    }

    /// `lr_overflow_cost` fitted to position 0: the measured excess over the model, shared by the
    /// overflows and evictions of the first batch.
    static func overflowCost(_ t: ValidationTarget) throws -> OptionalCostRun {
        let s = try Validation.scenario(t)
        let base = try Validation.storm(s)
        let first = Array(base.trace.prefix { $0.time == 0 })
        let alone = try ValidationWorkloads.replay(first, scenario: s, sources: ValidationWorkloads.stormSources, strategy: Validation.stormStrategy)
        let k = spills(alone.metrics)
        let m0 = t.storm.position0.meanNs, m1 = t.storm.position1.meanNs
        let excess = m0 - Double(base.positions[0])
        var run = OptionalCostRun(platform: t.preset.name, parameter: "lr_overflow_cost", setting: "", fittedTo: "", changes: [])
        guard k > 0, excess > 0 else {
            run.notApplicable = "position 0 has \(k) overflows or evictions and the model is \(excess > 0 ? "below" : "above") the measurement"
            return run
        }
        let c = UInt64((excess / Double(k)).rounded())
        run.setting = "lr_overflow_cost=\(c)"
        run.fittedTo = "P8: (position 0 \(Measurement.format(m0)) - model \(base.positions[0])) / \(k) overflows and evictions in the first batch = \(Measurement.format(excess / Double(k))) -> \(c)"
        var t2 = s
        t2.lrOverflowCost = c
        let after = try Validation.storm(t2)
        run.changes = [
            .init(quantity: "position 0", before: Double(base.positions[0]), after: Double(after.positions[0]), measured: m0),
            .init(quantity: "position 1", before: Double(base.positions[1]), after: Double(after.positions[1]), measured: m1),
        ]
        return run
    }

    /// `refill_scan` fitted to the fall from position 4 to position 10, with `maint_handler`
    /// lowered so that position 4 keeps its value; positions 7 and 13 are then what it predicts.
    static func refillScan(_ t: ValidationTarget) throws -> OptionalCostRun {
        let s = try Validation.scenario(t)
        let base = try Validation.storm(s)
        var probe = s
        probe.refillScan = 1
        let unit = try Validation.storm(probe)
        let spikes = Validation.measuredSpikes
        // Queue entries examined by the refill before each spike.
        let examined = spikes.map { unit.positions[$0] - base.positions[$0] }
        let m = t.storm.spikes.map(\.meanNs)
        var run = OptionalCostRun(platform: t.preset.name, parameter: "refill_scan", setting: "", fittedTo: "", changes: [])
        let perEntry = (m[0] - m[2]) / Double(examined[0] - examined[2])
        let scan = UInt64(max(0, perEntry).rounded())
        let lowered = Int64(s.maintHandler) - Int64(scan * examined[0])
        guard scan > 0, lowered >= 0 else {
            run.notApplicable = scan == 0
                ? "the measured spikes do not fall (\(Measurement.format(m[0])) at 4, \(Measurement.format(m[2])) at 10)"
                : "keeping position 4 would need maint_handler = \(s.maintHandler) - \(scan) x \(examined[0]) < 0"
            return run
        }
        run.setting = "refill_scan=\(scan) maint_handler=\(lowered)"
        run.fittedTo = "positions 4 and 10: (\(Measurement.format(m[0])) - \(Measurement.format(m[2]))) / (\(examined[0]) - \(examined[2]) entries examined) = \(Measurement.format(perEntry)) -> \(scan) ns per entry; maint_handler \(s.maintHandler) - \(scan) x \(examined[0]) = \(lowered)"
        var t2 = s
        t2.refillScan = scan
        t2.maintHandler = UInt64(lowered)
        let after = try Validation.storm(t2)
        run.changes = zip(spikes, m).map { pos, meas in
            .init(quantity: "position \(pos)", before: Double(base.positions[pos]), after: Double(after.positions[pos]), measured: meas)
        }
        return run
    }

    public static func runs(_ t: ValidationTarget) throws -> [OptionalCostRun] {
        [try overflowCost(t), try refillScan(t)]
    }
}
