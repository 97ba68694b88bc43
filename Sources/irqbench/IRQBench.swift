import ArgumentParser

@main
struct IRQBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "irqbench",
        abstract: "Replay interrupt traces through a simulated PLIC + hypervisor and measure IRQ end strategies.",
        discussion: """
            irqbench answers questions such as: should a hypervisor complete a passthrough device's \
            level-triggered interrupt at the PLIC right after injecting it (host-end), or only when the \
            guest completes it (guest-end)? It replays recorded traces under each end strategy and \
            writes the metrics as CSV under results/. docs/model.md describes the simulated machine, \
            every strategy and every metric.
            """,
        subcommands: [
            Run.self,
            SweepCommand.self,
            MergeCommand.self,
            CrossoverCommand.self,
            CompareCommand.self,
            PlotCommand.self,
            LiveCommand.self,
            BenchCommand.self,
            ConvertCommand.self,
            GenerateCommand.self,
            PlatformsCommand.self,
            ValidateCommand.self,
        ]
    )
}
