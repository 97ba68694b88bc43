import Foundation

/// The git commit irqbench reports as its own (the `commit` column): `IRQBENCH_COMMIT` when set;
/// else the checkout the running binary was built in (found by walking up from the executable,
/// e.g. <checkout>/.build/release/irqbench), `-dirty` when its tracked files differ from the
/// commit (results/ excluded); else "unknown". Not the current directory's repository: running
/// irqbench from another project must not report that project's commit.
public func toolCommit() -> String {
    if let c = ProcessInfo.processInfo.environment["IRQBENCH_COMMIT"], !c.isEmpty { return c }
    guard let checkout = toolCheckout() else { return "unknown" }
    guard let head = git(["-C", checkout, "rev-parse", "--short=12", "HEAD"]), !head.isEmpty else { return "unknown" }
    let status = git(["-C", checkout, "status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)results"]) ?? ""
    return status.isEmpty ? head : head + "-dirty"
}

/// The nearest ancestor of the executable that holds irqbench's Package.swift and a .git.
func toolCheckout() -> String? {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        ?? CommandLine.arguments.first.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
    guard let exe else { return nil }
    var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
    while dir.path != "/" {
        let package = dir.appendingPathComponent("Package.swift").path
        if FileManager.default.fileExists(atPath: dir.appendingPathComponent(".git").path),
           let text = try? String(contentsOfFile: package, encoding: .utf8), text.contains("name: \"irqbench\"") {
            return dir.path
        }
        dir.deleteLastPathComponent()
    }
    return nil
}

/// `git ARGS` through `/usr/bin/env` (git found in PATH): its output trimmed of surrounding
/// white space, or nil when it cannot be run or exits non-zero.
private func git(_ args: [String]) -> String? {
    guard let child = try? runChild("/usr/bin/env", ["git"] + args), child.exitStatus == 0 else { return nil }
    return String(decoding: child.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}
