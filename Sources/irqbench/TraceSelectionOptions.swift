import ArgumentParser
import Foundation
import IRQTrace

/// Which traces a command replays: those named with --trace, else every trace in --traces-dir.
struct TraceSelectionOptions: ParsableArguments {
    @Option(name: .customLong("trace"), help: ArgumentHelp(
        "A trace to replay (repeatable). Default: every trace in --traces-dir.",
        discussion: "/proc/interrupts snapshots replay through a spec, in a file or inline: 'procint:before=B.txt;after=A.txt;duration_ms=2000;seed=7'.",
        valueName: "path"))
    var traces: [String] = []

    @Option(help: ArgumentHelp("Where the shipped traces are.", valueName: "dir"))
    var tracesDir = "traces"


    func validate() throws {
        for t in traces where !t.hasPrefix(ProcInterruptsSpec.prefix) && !FileManager.default.fileExists(atPath: t) {
            throw ValidationError("--trace \(t): no such file")
        }
        if traces.isEmpty {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: tracesDir, isDirectory: &isDir), isDir.boolValue else {
                throw ValidationError("no --trace given and \(tracesDir)/ is not a directory (run from the irqbench checkout, or pass --trace)")
            }
        }
    }

    /// The paths to replay, in order.
    func paths() throws -> [String] {
        guard traces.isEmpty else { return traces }
        let paths = try shippedTraces(in: tracesDir)
        guard !paths.isEmpty else { throw ValidationError("\(tracesDir)/ holds no traces") }
        return paths
    }
}

/// The trace files of a folder, by name: everything but docs, settings and hidden files.
func shippedTraces(in dir: String) throws -> [String] {
    let names = try FileManager.default.contentsOfDirectory(atPath: dir)
    let skipped = [".md", ".json", ".txt.license", ".license"]
    return names.filter { n in
        !n.hasPrefix(".") && !skipped.contains { n.hasSuffix($0) } && !n.hasPrefix("LICENSE")
            && !n.hasPrefix("README") && !n.hasPrefix("SOURCES")
    }.sorted().map { (dir as NSString).appendingPathComponent($0) }
}
