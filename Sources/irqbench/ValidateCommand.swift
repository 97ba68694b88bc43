import ArgumentParser
import Foundation
import IRQResults
import IRQRun
import IRQTrace

/// `irqbench validate`: the calibrated ZCU104 presets against the published measurements they were
/// not fitted to (docs/validation.md).
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Replay the Shedding Light benchmarks on the calibrated presets and compare with the measurements.",
        discussion: """
            For each calibrated ZCU104 preset (zcu104-bao, zcu104-xen, zcu104-jailhouse) the \
            benchmarks' workloads are replayed with the preset unchanged: one timer interrupt \
            (irqlat, also with direct injection) and the 16-interrupt storm. Every prediction of \
            docs/validation.md is printed with the model's value, the measured value (published \
            means, never fitted), the error, the tolerance and the verdict; fitted quantities are \
            shown too, marked "fit". Then what each optional overflow cost of the GIC model \
            changes, fitted to the misses' own data (an explanation, not evidence). The same \
            numbers go to a results CSV (kind sim), which 'irqbench compare' can compare across \
            commits.
            """)

    @Option(help: ArgumentHelp("Validate only this preset.", valueName: "name"))
    var platform: String?

    @Option(help: ArgumentHelp("Results CSV to write. Default: results/<commit>-validate.csv.", valueName: "file.csv"))
    var out: String?

    @Flag(help: "Leave out the optional-cost runs.")
    var noOptionalCosts = false

    var targets: [ValidationTarget] {
        ValidationTarget.zcu104.filter { platform == nil || $0.preset.name == platform }
    }

    func validate() throws {
        if let p = platform, targets.isEmpty {
            throw ValidationError("--platform \(p): not a calibrated preset with published benchmarks (validated: \(ValidationTarget.zcu104.map(\.preset.name).joined(separator: ", ")))")
        }
    }

    func run() throws {
        let commit = toolCommit()
        var results: [ResultRow] = []
        var report: [String] = []
        for t in targets {
            let rows = try Validation.rows(t)
            report.append(Self.table(t, rows))
            for r in rows {
                results += r.resultRows(commit: commit, workloadSHA256: try Self.workloadSHA(r, t))
            }
            if !noOptionalCosts {
                report.append(Self.optionalCosts(try OptionalCosts.runs(t)))
            }
        }
        print(report.joined(separator: "\n\n"))
        let path = out ?? "results/\(commit)-validate.csv"
        try writeFileAtomically(ResultsCSV.render(results), to: path)
        print("\nmeasured: Shedding Light means (docs/validation.md; scripts/calibration/shedding-light-derived.csv)")
        print("not replayed: the ipi benchmark (its trap-lat, sgi-lat and ipi-lat set vmmio and ipi, C6: all in the fit set, nothing left to predict)")
        print("results: \(path) (\(results.count) rows)")
    }

    /// sha256 of the workload's text, so results rows of different workloads never pair up.
    static func workloadSHA(_ r: ValidationRow, _ t: ValidationTarget) throws -> String {
        let events: [TraceEvent]
        if r.workload == "irqlat" {
            events = ValidationWorkloads.irqlatTrace
        } else {
            events = try Validation.storm(ValidationWorkloads.withStormHandler(try t.preset.scenario())).trace
        }
        return SHA256Hasher.hex(try SHA256Hasher.digest(Array(ValidationWorkloads.text(events).utf8)))
    }

    static func table(_ t: ValidationTarget, _ rows: [ValidationRow]) -> String {
        var cells = [["", "quantity", "strategy", "model", "measured", "error", "tolerance", "verdict"]]
        for r in rows {
            cells.append([r.id, r.quantity, r.strategy.rawValue, r.modelText, r.measuredText, r.errorText,
                          r.verdict == .fit ? "" : r.tolerance.text, r.verdict.rawValue])
        }
        let predictions = rows.filter { $0.verdict != .fit }
        let misses = predictions.filter { $0.verdict == .miss }.map(\.id)
        let summary = "\(predictions.count - misses.count) of \(predictions.count) predictions hit"
            + (misses.isEmpty ? "" : "; missed: \(misses.joined(separator: ", "))")
        return "\(t.preset.name): \(t.preset.summary)\n" + renderColumns(cells, leftAligned: 3) + "\n" + summary
    }

    static func optionalCosts(_ runs: [OptionalCostRun]) -> String {
        var out = "Optional costs (fitted to the predictions' own measurements: they explain misses, they are not evidence):"
        for r in runs {
            if let why = r.notApplicable {
                out += "\n  \(r.parameter): not applicable: \(why)"
                continue
            }
            out += "\n  \(r.setting)  (\(r.fittedTo))\n"
            var cells = [["", "before", "with it", "measured"]]
            for c in r.changes {
                cells.append([c.quantity, Measurement.format(c.before), Measurement.format(c.after), Measurement.format(c.measured)])
            }
            out += renderColumns(cells, leftAligned: 1).split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
        }
        return out
    }
}
