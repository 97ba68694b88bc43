import Foundation

/// The git commit irqbench reports as its own: `IRQBENCH_COMMIT` when set, else the checkout in the
/// current directory (`-dirty` when tracked files differ from it), else "unknown".
public func toolCommit() -> String {
    if let c = ProcessInfo.processInfo.environment["IRQBENCH_COMMIT"], !c.isEmpty { return c }
    guard let head = git(["rev-parse", "--short=12", "HEAD"]), !head.isEmpty else { return "unknown" }
    let status = git(["status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)results"]) ?? ""
    return status.isEmpty ? head : head + "-dirty"
}

private func git(_ args: [String]) -> String? {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["git"] + args
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    do { try p.run() } catch { return nil }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { return nil }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}
