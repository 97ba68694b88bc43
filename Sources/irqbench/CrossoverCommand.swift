import ArgumentParser
import Foundation
import IRQResults


/// What a crossover report or picture is about: the results, the metric, and which rows.
struct CrossoverInputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("A results CSV (a sweep's, or any results file).", valueName: "results.csv"))
    var results: String

    @Option(help: ArgumentHelp("The metric that decides who wins (e.g. request_to_done_p99, hyp_busy, storm_irqs); its direction (lower or higher is better) is the one compare uses.", valueName: "name"))
    var metric: String

    @Option(name: .customLong("where"), help: ArgumentHelp("Keep only rows whose params hold NAME=VALUE (repeatable): one slice of a larger grid.", valueName: "name=value"))
    var filters: [String] = []

    @Option(name: .customLong("strategy"), help: ArgumentHelp("Compare only these strategies (comma-separated), e.g. guest-end,host-end for where one beats the other.", valueName: "list"))
    var strategies: String?

    func validate() throws {
        for f in filters where !f.contains("=") { throw ValidationError("--where \(f): expected NAME=VALUE") }
    }

    /// The metric's rows that pass every --where.
    func rows() throws -> [ResultRow] {
        let wanted = filters.map { f -> (String, String) in
            let eq = f.firstIndex(of: "=")!
            return (String(f[..<eq]), String(f[f.index(after: eq)...]))
        }
        let all = try Crossover.rows(path: results, metric: metric)
        guard !all.isEmpty else { throw ValidationError("\(results) has no rows of metric \(metric)") }
        let only = strategies.map { Set($0.split(separator: ",").map(String.init)) }
        if let only, let unknown = only.first(where: { s in !all.contains { $0.strategy == s } }) {
            throw ValidationError("--strategy \(unknown): no rows of it in \(results)")
        }
        let kept = all.filter { r in
            let a = Crossover.assignments(r.params)
            return (only?.contains(r.strategy) ?? true) && wanted.allSatisfy { w in a.contains { $0.name == w.0 && $0.value == w.1 } }
        }
        guard !kept.isEmpty else { throw ValidationError("no row of \(metric) in \(results) matches \(filters.joined(separator: " "))") }
        return kept
    }
}

struct CrossoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crossover",
        abstract: "Name the best strategy at each grid point of a sweep and where the best changes.",
        discussion: """
            For each trace and each setting of the other parameters, the points along --over (the \
            swept parameter; default: each parameter that varies, in turn) with every strategy's \
            value of --metric and the winner by the metric's direction (ties share the win). A \
            crossover is where the winner changes between two neighbouring swept values (a tie on \
            the way is none while the strategy that led stays among the best). With \
            --baseline, one sentence per other strategy says where it beats the baseline, e.g. \
            "guest-end beats host-end on request_to_done_p99 once service >= 8000 (the change lies \
            between 4000 and 8000)". Swept values only: the true crossover lies between them.
            """)

    @OptionGroup var input: CrossoverInputOptions

    @Option(help: ArgumentHelp("The swept parameter to go along. Default: every parameter whose value varies.", valueName: "name"))
    var over: String?

    @Option(help: ArgumentHelp("Say where each other strategy beats this one.", valueName: "strategy"))
    var baseline: String?

    @Option(help: "table, markdown or csv.")
    var format: CompareFormat = .table

    @Option(help: ArgumentHelp("Write the report here (atomically) instead of standard output.", valueName: "file"))
    var out: String?

    func run() throws {
        let rows = try input.rows()
        let overs = over.map { [$0] } ?? Crossover.sweptParameters(rows)
        var reports: [CrossoverReport] = []
        do {
            if overs.isEmpty {
                reports.append(try Crossover.analyse(rows: rows, metric: input.metric, over: nil, baseline: baseline))
            }
            for o in overs { reports.append(try Crossover.analyse(rows: rows, metric: input.metric, over: o, baseline: baseline)) }
        } catch let e as CrossoverError {
            throw ValidationError(e.description)
        }
        let text = CrossoverRendering.render(reports, format: format)
        if let out {
            try writeFileAtomically(text, to: out)
            print(out)
        } else {
            print(text, terminator: "")
        }
    }
}
