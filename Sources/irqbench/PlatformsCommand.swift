import ArgumentParser
import IRQRun

/// `irqbench platforms [NAME]`: the platform presets and where each of their values comes from.
struct PlatformsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "platforms",
        abstract: "List the platform presets (--platform NAME) and the sources of their numbers.",
        discussion: """
            A preset is a set of model parameters for one hardware + hypervisor, every value with \
            its provenance: measured (a published mean), derived (computed from measurements; the \
            arithmetic is shown), read (in the hardware's reference or the hypervisor's code) or \
            chosen (no measurement decides it; the reason is shown). `--platform NAME` on run, \
            live, bench and sweep applies a preset before any --param, and results rows record \
            `platform=NAME` in their params. docs/validation.md shows how the ZCU104 presets \
            were fitted and what they predict.
            """)

    @Argument(help: ArgumentHelp("A preset to show with every parameter's provenance.", valueName: "name"))
    var name: String?

    func validate() throws {
        if let n = name, PlatformPreset.named(n) == nil {
            throw ValidationError(PlatformPreset.unknownNameMessage(n))
        }
    }

    func run() throws {
        if let n = name, let p = PlatformPreset.named(n) {
            print(Self.detail(p))
        } else {
            print(Self.list())
        }
    }

    static func list() -> String {
        var rows = [["name", "calibration", "sources", "what"]]
        for p in PlatformPreset.all {
            rows.append([p.name, p.calibration.rawValue, p.citations.map(\.key).joined(separator: ","), p.summary])
        }
        let table = renderColumns(rows, leftAligned: 4).split(separator: "\n").map { String($0.reversed().drop { $0 == " " }.reversed()) }
        var out = table.joined(separator: "\n") + "\n\nSources:\n"
        var seen = Set<String>()
        for c in PlatformPreset.all.flatMap(\.citations) where seen.insert(c.key).inserted {
            out += "  \(c.key): \(c.reference)\n"
        }
        return out + "\n'irqbench platforms NAME' shows every parameter of a preset and where its value comes from."
    }

    static func detail(_ p: PlatformPreset) -> String {
        var out = "\(p.name): \(p.summary)\ncalibration: \(p.calibration.rawValue)\n\n"
        for q in p.parameters {
            out += "\(q.name)=\(q.value)  [\(q.provenance.kind)] \(explanation(q.provenance))\n"
        }
        if !p.leftAtDefaults.isEmpty {
            out += "\nNot set (the model's defaults, not measured on this platform): \(p.leftAtDefaults.joined(separator: ", "))\n"
        }
        let cites = p.citations
        if !cites.isEmpty {
            out += "\nSources:\n" + cites.map { "  \($0.key): \($0.reference)" }.joined(separator: "\n") + "\n"
        }
        return out + "\nEvery other parameter keeps the model's default ('irqbench run --help' lists them)."
    }

    static func explanation(_ p: Provenance) -> String {
        switch p {
        case .measured(let m): "\(m.what): \(m.summary) [\(m.citation.key) \(m.file)]"
        case .derived(let ms, let arithmetic):
            arithmetic + " [" + ms.map { "\($0.citation.key) \($0.file)" }.uniqued().joined(separator: "; ") + "]"
        case .read(let c, let what): "\(what) [\(c.key)]"
        case .chosen(let reason): reason
        }
    }
}

private extension Array where Element == String {
    func uniqued() -> [String] {
        var seen = Set<String>()
        return filter { seen.insert($0).inserted }
    }
}
