import Foundation
import IRQCore
import IRQReplay
import IRQTrace

/// How close a model value must be to the measured one (docs/validation.md "The predictions").
public enum Tolerance: Sendable, Equatable {
    /// Relative error (model - measured) / measured within ± this many percent.
    case percent(Double)
    /// Absolute error within ± this many ns.
    case ns(Double)
    /// Both values are percentages; their difference within ± this many percentage points.
    case points(Double)
    /// The model's answer must equal the measured one.
    case exact

    public var text: String {
        switch self {
        case .percent(let p): "±\(Measurement.format(p))%"
        case .ns(let n): "±\(Measurement.format(n)) ns"
        case .points(let p): "±\(Measurement.format(p)) points"
        case .exact: "exact"
        }
    }
}

/// One line of the validation: a prediction (or a fitted quantity, shown for completeness).
public struct ValidationRow: Sendable {
    public enum Verdict: String, Sendable {
        case hit, miss
        /// A fitted quantity: the replay reproduces it; it is not evidence.
        case fit
    }

    public var platform: String
    /// P1...P9, X1 (predictions), C2, C5 (fit).
    public var id: String
    public var quantity: String
    /// Metric-name form of the quantity, for the results CSV.
    public var slug: String
    public var workload: String
    public var strategy: EndStrategy
    public var model: Double
    public var modelText: String
    public var measured: Double
    public var measuredText: String
    /// The measurements compared with (ids of `PublishedMeasurements`).
    public var measurementIDs: [String]
    /// Signed error in the tolerance's unit (nil for exact comparisons).
    public var error: Double?
    public var tolerance: Tolerance
    public var verdict: Verdict

    public var errorText: String {
        guard let e = error else { return verdict == .miss ? "differs" : "same" }
        let sign = e > 0 ? "+" : ""
        switch tolerance {
        case .percent: return sign + String(format: "%.1f", e) + "%"
        case .ns: return sign + String(format: "%.1f", e) + " ns"
        case .points: return sign + String(format: "%.1f", e) + " points"
        case .exact: return sign + String(format: "%.1f", e)
        }
    }
}

/// What `irqbench validate` checks on one calibrated preset.
public struct ValidationTarget: Sendable {
    public var preset: PlatformPreset
    public var storm: PublishedMeasurements.Storm
    /// irqlat (fitted: C2).
    public var irqlat: Measurement
    /// The strategy of the irqlat path: hw-eoi, or host-end where the hypervisor owns the timer.
    public var irqlatStrategy: EndStrategy
    /// irqlat with direct injection, where measured (P1).
    public var direct: Measurement?
    /// irqlat-end - irqlat under this hypervisor (P2).
    public var tail: Measurement
    /// Position 4 set `maint_handler` (C5); otherwise it is the prediction X1.
    public var spikeFitted: Bool

    public static let zcu104: [ValidationTarget] = [
        ValidationTarget(preset: ZCU104Presets.bao, storm: PublishedMeasurements.stormBao,
                         irqlat: PublishedMeasurements.irqlatBao, irqlatStrategy: .hwEOI,
                         direct: PublishedMeasurements.irqlatDirectBao, tail: PublishedMeasurements.tailBao, spikeFitted: true),
        ValidationTarget(preset: ZCU104Presets.xen, storm: PublishedMeasurements.stormXen,
                         irqlat: PublishedMeasurements.irqlatXen, irqlatStrategy: .hostEnd,
                         direct: nil, tail: PublishedMeasurements.tailXen, spikeFitted: false),
        ValidationTarget(preset: ZCU104Presets.jailhouse, storm: PublishedMeasurements.stormJailhouse,
                         irqlat: PublishedMeasurements.irqlatJailhouse, irqlatStrategy: .hwEOI,
                         direct: PublishedMeasurements.irqlatDirectJailhouse, tail: PublishedMeasurements.tailJailhouse, spikeFitted: true),
    ]
}

/// The model's storm on one preset: the handler positions and the handling order.
public struct StormOutcome: Sendable {
    public var positions: [UInt64]
    public var sources: [Int]
    public var metrics: ReplayMetrics
    public var trace: [TraceEvent]

    /// Positions 2-15 above 1500 ns (the rule applied to the measured runs).
    public var spikePositions: [Int] { positions.indices.filter { $0 >= 2 && positions[$0] > 1500 } }

    /// The benchmark's own check: every handler's interrupt at most as urgent as the previous one's.
    public func inPriorityOrder(_ settings: SourceSettings) -> Bool {
        let prio = sources.map { settings.settings[UInt16($0)]?.priority ?? 1 }
        return zip(prio, prio.dropFirst()).allSatisfy { $1 <= $0 }
    }
}

public enum Validation {
    static let irqlatWorkload = "irqlat"
    static let stormWorkload = "irqstorm"
    static let stormStrategy = EndStrategy.hwEOI
    /// The positions the benchmark's spikes fall on; P3 averages the others.
    static let measuredSpikes = [4, 7, 10, 13]

    /// The preset's scenario with the storm handler (C4).
    static func scenario(_ t: ValidationTarget) throws -> Scenario {
        ValidationWorkloads.withStormHandler(try t.preset.scenario())
    }

    public static func storm(_ scenario: Scenario) throws -> StormOutcome {
        let trace = try ValidationWorkloads.stormTrace(scenario: scenario, strategy: stormStrategy)
        let r = try ValidationWorkloads.replay(trace, scenario: scenario, sources: ValidationWorkloads.stormSources, strategy: stormStrategy)
        let starts = r.starts.filter { $0.units > 0 }
        return StormOutcome(positions: ValidationWorkloads.positions(starts), sources: starts.map(\.source), metrics: r.metrics, trace: trace)
    }

    /// Every row for one target, in the order of docs/validation.md.
    public static func rows(_ t: ValidationTarget) throws -> [ValidationRow] {
        let s = try scenario(t)
        let name = t.preset.name
        var rows: [ValidationRow] = []

        func row(_ id: String, _ quantity: String, _ slug: String, _ workload: String, _ strategy: EndStrategy,
                 model: Double, measured: Measurement, tolerance: Tolerance, fit: Bool = false) -> ValidationRow {
            let err: Double
            switch tolerance {
            case .percent: err = (model - measured.meanNs) / measured.meanNs * 100
            case .ns, .points, .exact: err = model - measured.meanNs
            }
            let within: Bool
            switch tolerance {
            case .percent(let p), .ns(let p), .points(let p): within = abs(err) <= p
            case .exact: within = err == 0
            }
            return ValidationRow(platform: name, id: id, quantity: quantity, slug: slug, workload: workload, strategy: strategy,
                                 model: model, modelText: Measurement.format(model), measured: measured.meanNs,
                                 measuredText: Measurement.format(measured.meanNs), measurementIDs: [measured.id],
                                 error: err, tolerance: tolerance, verdict: fit ? .fit : (within ? .hit : .miss))
        }

        // irqlat under the hypervisor's path: C2 reproduced, and P2.
        let lat = try ValidationWorkloads.replay(ValidationWorkloads.irqlatTrace, scenario: s, strategy: t.irqlatStrategy)
        let latency = Double(lat.metrics.requestToGuest.max)
        rows.append(row("C2", "irqlat (ns)", "irqlat", irqlatWorkload, t.irqlatStrategy, model: latency, measured: t.irqlat, tolerance: .percent(2), fit: true))
        if let di = t.direct {
            let d = try ValidationWorkloads.replay(ValidationWorkloads.irqlatTrace, scenario: s, strategy: .direct)
            rows.append(row("P1", "irqlat with direct injection (ns)", "irqlat_direct", irqlatWorkload, .direct,
                            model: Double(d.metrics.requestToGuest.max), measured: di, tolerance: .percent(2)))
        }
        // The guest's EOIR and 15 iterations, plus whatever the hypervisor does before the guest resumes.
        let afterEOIR = lat.metrics.simEnd - lat.metrics.requestToDone.max - s.guestEOIR
        rows.append(row("P2", "irqlat-end - irqlat (ns)", "irqlat_end_minus_irqlat", irqlatWorkload, t.irqlatStrategy,
                        model: PublishedMeasurements.tailBaremetal.meanNs + Double(afterEOIR), measured: t.tail, tolerance: .ns(10)))

        // The storm.
        let st = try storm(s)
        let p = st.positions.map { Double($0) }
        guard p.count == 16 else { throw ReplayError("\(name): the storm ran \(p.count) handlers with work, expected 16") }
        let steady = (2..<16).filter { !measuredSpikes.contains($0) }.map { p[$0] }
        rows.append(row("P3", "storm positions 2-15 without 4, 7, 10, 13: mean (ns)", "storm_steady_mean", stormWorkload, stormStrategy,
                        model: steady.reduce(0, +) / Double(steady.count), measured: t.storm.steady, tolerance: .percent(2)))

        let spikes = st.spikePositions
        let allRuns = t.storm.runsWithSpikesAt4_7_10_13 == t.storm.runs
        rows.append(ValidationRow(
            platform: name, id: "P4", quantity: "spike positions (2-15 above 1500 ns)", slug: "storm_spike_positions",
            workload: stormWorkload, strategy: stormStrategy, model: Double(spikes.count), modelText: spikes.map(String.init).joined(separator: " "),
            measured: 4, measuredText: "4 7 10 13 in \(t.storm.runsWithSpikesAt4_7_10_13)/\(t.storm.runs) runs",
            measurementIDs: t.storm.spikes.map(\.id), error: nil, tolerance: .exact,
            verdict: spikes == measuredSpikes && allRuns ? .hit : .miss))

        let m = t.storm.spikes.map(\.meanNs)
        let modelLast = p[13] - p[10], measuredLast = m[3] - m[2]
        rows.append(ValidationRow(
            platform: name, id: "P5", quantity: "number of spikes, last one smaller", slug: "storm_spikes_last_smaller",
            workload: stormWorkload, strategy: stormStrategy, model: Double(spikes.count),
            modelText: "\(spikes.count), \(modelLast < 0 ? "smaller" : "not smaller")",
            measured: 4, measuredText: "4, \(measuredLast < 0 ? "smaller" : "not smaller")",
            measurementIDs: t.storm.spikes.map(\.id), error: nil, tolerance: .exact,
            verdict: spikes.count == 4 && (modelLast < 0) == (measuredLast < 0) ? .hit : .miss))
        rows.append(relative("P5b", "position 13 - position 10 (ns)", "storm_last_spike_difference", name, model: modelLast,
                             measured: measuredLast, measuredIDs: [t.storm.spikes[2].id, t.storm.spikes[3].id], tolerance: 25))

        let modelDrift = (p[10] - p[4]) / p[4] * 100, measuredDrift = (m[2] - m[0]) / m[0] * 100
        rows.append(ValidationRow(
            platform: name, id: "P6", quantity: "(position 10 - position 4) / position 4 (%)", slug: "storm_spike_drift_pct",
            workload: stormWorkload, strategy: stormStrategy, model: modelDrift, modelText: String(format: "%.1f", modelDrift),
            measured: measuredDrift, measuredText: String(format: "%.1f", measuredDrift),
            measurementIDs: [t.storm.spikes[0].id, t.storm.spikes[2].id], error: modelDrift - measuredDrift, tolerance: .points(3),
            verdict: abs(modelDrift - measuredDrift) <= 3 ? .hit : .miss))

        let ordered = st.inPriorityOrder(ValidationWorkloads.stormSources)
        let measuredOrdered = t.storm.runsInPriorityOrder == t.storm.runs
        let unanimous = measuredOrdered || t.storm.runsInPriorityOrder == 0
        rows.append(ValidationRow(
            platform: name, id: "P7", quantity: "handlers in priority order", slug: "storm_priority_order",
            workload: stormWorkload, strategy: stormStrategy, model: ordered ? 1 : 0, modelText: ordered ? "yes" : "no",
            measured: measuredOrdered ? 1 : 0,
            measuredText: "\(measuredOrdered ? "yes" : "no") (\(t.storm.runsInPriorityOrder)/\(t.storm.runs) runs)",
            measurementIDs: [], error: nil, tolerance: .exact,
            verdict: ordered == measuredOrdered && unanimous ? .hit : .miss))

        rows.append(row("P8", "storm position 0 (ns)", "storm_position0", stormWorkload, stormStrategy,
                        model: p[0], measured: t.storm.position0, tolerance: .percent(5)))
        rows.append(row("P9", "storm position 1 (ns)", "storm_position1", stormWorkload, stormStrategy,
                        model: p[1], measured: t.storm.position1, tolerance: .percent(5)))
        rows.append(row(t.spikeFitted ? "C5" : "X1", "storm position 4, the first spike (ns)", "storm_position4", stormWorkload,
                        stormStrategy, model: p[4], measured: t.storm.spikes[0], tolerance: .percent(5), fit: t.spikeFitted))
        return rows
    }

    static func relative(_ id: String, _ quantity: String, _ slug: String, _ platform: String, model: Double, measured: Double,
                         measuredIDs: [String], tolerance: Double) -> ValidationRow {
        let err = (model - measured) / abs(measured) * 100
        return ValidationRow(platform: platform, id: id, quantity: quantity, slug: slug, workload: stormWorkload, strategy: stormStrategy,
                             model: model, modelText: Measurement.format(model), measured: measured,
                             measuredText: Measurement.format(measured), measurementIDs: measuredIDs, error: err,
                             tolerance: .percent(tolerance), verdict: abs(err) <= tolerance ? .hit : .miss)
    }
}
