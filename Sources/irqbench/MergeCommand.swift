import ArgumentParser
import Foundation
import IRQRun

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the parts of a sharded sweep into the results file of the whole sweep.",
        discussion: """
            The parts (written by 'irqbench sweep --shard i/N', or by a Slurm job array) may be \
            given in any order. merge checks that they come from one sweep (same grid, traces, \
            strategies, fixed parameters, reading options, commit and schema) and cover it exactly \
            once; otherwise it names every part that is missing, duplicated or foreign, writes \
            nothing and exits 2. The file it writes is byte-identical to the one the unsharded \
            sweep writes (written atomically). Replays that failed in a part are listed and the \
            exit status is 1, as for the sweep itself.
            """)

    @Argument(help: ArgumentHelp("The part files.", valueName: "part.csv"))
    var parts: [String]

    @Option(help: ArgumentHelp("The merged results CSV.", valueName: "file.csv"))
    var out: String

    func validate() throws {
        guard !parts.isEmpty else { throw ValidationError("give the part files to merge") }
        let outURL = URL(fileURLWithPath: out).standardizedFileURL
        if parts.contains(where: { URL(fileURLWithPath: $0).standardizedFileURL == outURL }) {
            throw ValidationError("--out \(out) is one of the parts")
        }
    }

    func run() throws {
        let summary: SweepMerge.Summary
        do {
            summary = try SweepMerge.merge(parts, to: out)
        } catch let refusal as SweepMerge.Refusal {
            for p in refusal.problems { printError("error: \(p)") }
            printError("nothing written")
            throw ExitCode(2)
        } catch {
            printError("error: \(error)")
            printError("nothing written")
            throw ExitCode(2)
        }
        for f in summary.failed {
            // "# failed: <j> <where>: <why>", as the sweep reported it.
            let rest = f.dropFirst("# failed: ".count)
            let j = rest.prefix { $0 != " " }
            printError("error: replay \(j) failed at \(rest.dropFirst(j.count + 1))")
        }
        print("results: \(out) (\(summary.parts) parts, \(summary.replays) replays, \(summary.rows) rows"
            + (summary.failed.isEmpty ? "" : ", \(summary.failed.count) replays failed") + ")")
        if !summary.failed.isEmpty { throw ExitCode(1) }
    }
}
