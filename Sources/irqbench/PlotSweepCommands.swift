import ArgumentParser
import Foundation
import IRQResults

/// A file-name-safe form of a params text: `a=1;b=x` -> `a1-bx`.
func fileStem(_ params: String) -> String {
    String(params.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "-" })
        .replacingOccurrences(of: "-+", with: "-", options: .regularExpression)
        .trimmingCharacters(in: CharacterSet(charactersIn: "-"))
}

/// Where the sweep pictures go: one file per trace and slice, named after what it shows.
struct SweepPictureOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Directory for the pictures.", valueName: "dir"))
    var out: String = "plots"

    @Option(help: "png or svg.")
    var format: PlotFormat = .png

    /// <out>/<trace stem>-<what>[-<others>].<format>
    func path(trace: String, what: String, others: String) -> String {
        let stem = URL(fileURLWithPath: trace).deletingPathExtension().lastPathComponent
        let name = "\(stem)-\(what)" + (others.isEmpty ? "" : "-" + fileStem(others))
        return (out as NSString).appendingPathComponent("\(name).\(format.rawValue)") // as given, not made absolute
    }
}

extension PlotCommand {
    struct PlotCrossover: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "crossover",
            abstract: "A metric against a swept parameter, a line per strategy, crossovers marked.",
            discussion: """
                One picture per trace and setting of the other parameters (narrow with --where): \
                <out>/<trace>-<metric>-over-<param>[-<others>].<format>. A dashed line marks each \
                crossover, midway between the two swept values where the best strategy changes, \
                labelled with the new winner. Log axes where the values span a wide range.
                """)

        @OptionGroup var input: CrossoverInputOptions

        @Option(help: ArgumentHelp("The swept parameter on the x axis.", valueName: "name"))
        var over: String

        @OptionGroup var pictures: SweepPictureOptions

        func run() throws {
            try requireGnuplot()
            let report: CrossoverReport
            do { report = try Crossover.analyse(rows: try input.rows(), metric: input.metric, over: over, baseline: nil) }
            catch let e as CrossoverError { throw ValidationError(e.description) }
            for s in report.slices {
                let path = pictures.path(trace: s.trace, what: "\(input.metric)-over-\(over)", others: s.others)
                try Plots.crossover(report: report, slice: s, format: pictures.format, to: path)
                print(path)
            }
        }
    }

    struct PlotWinMap: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "winmap",
            abstract: "For two swept parameters: which strategy wins at each grid point, as a coloured map.",
            discussion: """
                One picture per trace and setting of any further parameters (narrow with --where): \
                <out>/<trace>-<metric>-winmap-<x>-<y>[-<others>].<format>. Each strategy keeps its \
                colour; a tie (equal best values) has a colour of its own.
                """)

        @OptionGroup var input: CrossoverInputOptions

        @Option(help: ArgumentHelp("The swept parameter across.", valueName: "name"))
        var x: String

        @Option(help: ArgumentHelp("The swept parameter up.", valueName: "name"))
        var y: String

        @OptionGroup var pictures: SweepPictureOptions

        func run() throws {
            try requireGnuplot()
            let maps: [WinMap]
            do { maps = try Crossover.winMaps(rows: try input.rows(), metric: input.metric, x: x, y: y) }
            catch let e as CrossoverError { throw ValidationError(e.description) }
            for m in maps {
                let path = pictures.path(trace: m.trace, what: "\(input.metric)-winmap-\(x)-\(y)", others: m.others)
                try Plots.winMap(m, format: pictures.format, to: path)
                print(path)
            }
        }
    }
}
