import Foundation

/// The git commit irqbench reports as its own (the `commit` column): `IRQBENCH_COMMIT` when set;
/// else the checkout the running binary was built in (found by walking up from the executable,
/// e.g. <checkout>/.build/release/irqbench), `-dirty` when its tracked files differ from the
/// commit (results/ excluded); else "unknown". Not the current directory's repository: running
/// irqbench from another project must not report that project's commit.
public func toolCommit() -> String {
    if let c = ProcessInfo.processInfo.environment["IRQBENCH_COMMIT"], !c.isEmpty { return c }
    guard let checkout = toolCheckout() else { return "unknown" }
    return checkoutCommit(checkout)
}

/// The commit of the git checkout at `checkout`, its first 12 hex digits, with `-dirty` when a
/// tracked file outside results/ differs from it (staged or not; untracked files do not count),
/// "unknown" when it has no commit: one `git status --porcelain=v2 --branch`, which gives the
/// commit and the changes at once (a git process costs a few ms of a run's wall time).
///
/// Before, `git rev-parse --short=12 HEAD` gave the commit and `git status --porcelain` the
/// changes: the same string, except that `--short=12` adds digits when another object of the
/// repository starts with the same 12 (about one chance in 2^48 per object). When the status
/// cannot be read, the commit alone comes from `git rev-parse`, as it did then.
func checkoutCommit(_ checkout: String) -> String {
    if let status = git(["-C", checkout, "status", "--porcelain=v2", "--branch", "--untracked-files=no",
                         "--", ".", ":(exclude)results"]) {
        return commit(fromStatus: status) ?? "unknown"
    }
    guard let head = git(["-C", checkout, "rev-parse", "--short=12", "HEAD"]), !head.isEmpty else { return "unknown" }
    return head
}

/// The commit string of `git status --porcelain=v2 --branch` output: its `# branch.oid` line's
/// first 12 digits, `-dirty` when any entry line (not a `#` header) follows; nil before the
/// first commit (`(initial)`).
func commit(fromStatus text: String) -> String? {
    var oid: Substring?
    var dirty = false
    for line in text.split(separator: "\n") {
        if line.hasPrefix("# branch.oid ") {
            oid = line.dropFirst("# branch.oid ".count)
        } else if !line.hasPrefix("#") {
            dirty = true
        }
    }
    guard let oid, oid.count >= 12, oid.allSatisfy(\.isHexDigit) else { return nil }
    return String(oid.prefix(12)) + (dirty ? "-dirty" : "")
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
