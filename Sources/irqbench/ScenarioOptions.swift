import ArgumentParser
import Foundation
import IRQCore
import IRQReplay
import IRQRun
import IRQTrace

/// The simulated machine: a platform preset, the parameters of docs/model.md §2.2, per-source
/// settings and strategies.
struct ScenarioOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Start from a platform preset's parameters (then --param overrides them). 'irqbench platforms' lists them and their sources.",
                               valueName: "name"))
    var platform: String?

    @Option(name: .customLong("param"),
            help: ArgumentHelp("Set a model parameter (docs/model.md §2.2), NAME=VALUE (snake_case, integer ns). Repeatable.",
                               discussion: ScenarioOptions.parameterList,
                               valueName: "name=value"))
    var params: [String] = []

    @Option(help: ArgumentHelp("Per-source settings (JSON: owner, priority, target_hart, trigger by source ID).",
                               valueName: "file.json"))
    var sources: String?

    @Option(help: ArgumentHelp("End strategy: \(EndStrategy.allCases.map(\.rawValue).joined(separator: ", ")), or all (every strategy the controllers can run).",
                               valueName: "name"))
    var strategy: String = "all"

    /// Every parameter with its default and meaning, for --help.
    static var parameterList: String {
        let d = Scenario()
        var lines = Scenario.selectors.map { "\($0.name)=\($0.get(d)): \($0.doc) (\($0.values.joined(separator: ", ")))" }
        lines += Scenario.parameters.map { "\($0.name)=\(d[keyPath: $0.key]): \($0.doc)" }
        lines += Scenario.optionalParameters.map { "\($0.name) (unset): \($0.doc)" }
        return "Parameters and defaults (the costs are uncalibrated round-number estimates; --platform gives published measurements where they exist, 'irqbench platforms'):\n" + lines.joined(separator: "\n")
    }

    func validate() throws {
        // Only names and values here: a sweep may complete the scenario with its grid
        // (--param vcpu_period=... with --grid vcpu_budget=...), so `scenario()` checks the whole.
        // An unknown --platform fails here, with the names of the known ones.
        _ = try unvalidatedScenario()
        // Names only: which strategies the controllers accept is each command's check (run may
        // replay several controller configurations).
        _ = try strategies(checked: false)
        if let s = sources, !FileManager.default.isReadableFile(atPath: s) {
            throw ValidationError("--sources \(s): no such readable file")
        }
    }

    /// The preset named by --platform, if any.
    func preset() throws -> PlatformPreset? {
        guard let name = platform else { return nil }
        guard let p = PlatformPreset.named(name) else { throw ValidationError(PlatformPreset.unknownNameMessage(name)) }
        return p
    }

    /// The preset's parameters (if any), then `base` (a workload shape's own), then every --param
    /// in order, checked as a whole.
    func scenario(base: [String] = []) throws -> Scenario {
        let s = try unvalidatedScenario(base: base)
        do { try s.validate() } catch { throw ValidationError("\(error)") }
        return s
    }

    /// The names set with --param.
    var paramNames: [String] { params.map { String($0.prefix { $0 != "=" }) } }

    /// The --platform preset, then `base`, then every --param applied, without checking how they
    /// combine.
    func unvalidatedScenario(base: [String] = []) throws -> Scenario {
        var s = Scenario()
        if let p = try preset() {
            do { try p.apply(to: &s) }
            catch { throw ValidationError("--platform \(p.name): \(error)") }
        }
        for p in base + params {
            guard let eq = p.firstIndex(of: "=") else {
                throw ValidationError("--param \(p): expected NAME=VALUE")
            }
            do { try s.set(String(p[..<eq]), String(p[p.index(after: eq)...])) }
            catch { throw ValidationError("--param \(p): \(error)") }
        }
        return s
    }

    /// The strategies asked for. `all` means those the controllers can run; with
    /// `checked: false` (a sweep whose grid changes the controllers) every strategy, and each
    /// grid point runs those its controllers can.
    /// `scenario` and `sources` replace the ones of --param and --sources (a workload shape's).
    func strategies(checked: Bool = true, scenario given: Scenario? = nil, sources: SourceSettings? = nil) throws -> [EndStrategy] {
        // Source settings can rule a strategy out too (aia-guest-file needs guest sources on guest_hart).
        let settings = sources ?? (try? sourceSettings().0) ?? SourceSettings()
        let sc = try given ?? unvalidatedScenario()
        if strategy == "all" { return checked ? sc.applicableStrategies(sources: settings) : EndStrategy.allCases }
        var out: [EndStrategy] = []
        for name in strategy.split(separator: ",") {
            guard let s = EndStrategy(rawValue: String(name)) else {
                throw ValidationError("unknown strategy '\(name)' (known: \(EndStrategy.allCases.map(\.rawValue).joined(separator: ", ")), all)")
            }
            out.append(s)
        }
        guard checked else { return out }
        for s in out {
            do { try sc.check(strategy: s, sources: settings) } catch { throw ValidationError("\(error)") }
        }
        return out
    }

    /// The settings and the sha256 of the file they came from.
    func sourceSettings() throws -> (SourceSettings, String?) {
        guard let path = sources else { return (SourceSettings(), nil) }
        let settings = try SourceSettings.load(path: path)
        return (settings, try FileDigest.sha256Hex(path: path))
    }
}

/// How trace files are read (docs/traces.md, "Rules for every input").
struct TraceReadingOptions: ParsableArguments {
    @Flag(help: "Treat a file cut short inside its last record as an error instead of a warning.")
    var strict = false

    @Option(help: ArgumentHelp("Compress any idle gap longer than this many ns down to it (real captures can span years).",
                               valueName: "ns"))
    var maxGap: UInt64?

    @Option(help: ArgumentHelp("PLIC source that every packet of a network capture raises.", valueName: "id"))
    var captureSource: UInt16 = 1

    @Option(help: ArgumentHelp("Seed for traces synthesised from rates (/proc/interrupts).", valueName: "n"))
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("ftrace and /proc/interrupts: replay only these IRQ numbers (comma-separated).", valueName: "list"))
    var irqs: String?

    @Option(help: ArgumentHelp("ftrace and /proc/interrupts: replay only the interrupts of this CPU.", valueName: "n"))
    var cpu: Int?

    func validate() throws {
        guard TraceEvent.sourceRange.contains(captureSource) else {
            throw ValidationError("--capture-source must be 1...1023")
        }
        if maxGap == 0 { throw ValidationError("--max-gap must be > 0") }
        if let c = cpu, c < 0 { throw ValidationError("--cpu must be >= 0") }
        if let list = irqs, ImportOptions.parseIRQList(list) == nil {
            throw ValidationError("--irqs \(list): expected IRQ numbers separated by commas")
        }
    }

    var traceOptions: TraceOptions {
        TraceOptions(strict: strict, maxGapNs: maxGap, captureSource: captureSource, seed: seed,
                     irqs: irqs.flatMap { ImportOptions.parseIRQList($0) }, cpu: cpu)
    }
}
