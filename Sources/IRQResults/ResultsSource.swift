import Foundation
import Synchronization

/// One side of a compare: a results file on disk, or one committed in git.
///
/// A side is read as, in this order:
/// 1. `PATH`: an existing file;
/// 2. `REV:PATH`: the file as committed at REV (`git show`);
/// 3. `REV`: the newest `results/*.csv` committed at REV, "newest" meaning the file whose last
///    change in REV's history is most recent (ties: the greatest name). `match` narrows the
///    candidates by file name (e.g. `*-bench.csv`) when REV holds several kinds of results.
public struct ResultsSource: Sendable {
    /// What was read, for headings: the path, or `REV:path`.
    public var label: String
    public var text: String
    /// Set when REV held several candidates: which one was picked and from how many.
    public var note: String?

    public static func resolve(_ spec: String, match: String = "*.csv", repository: String = ".") throws -> ResultsSource {
        if FileManager.default.fileExists(atPath: spec) {
            return ResultsSource(label: spec, text: try ResultsCSV.text(of: spec), note: nil)
        }
        if let colon = spec.firstIndex(of: ":"), colon != spec.startIndex {
            let rev = String(spec[..<colon]), path = String(spec[spec.index(after: colon)...])
            let show = try git(["show", "\(rev):\(path)"], in: repository)
            guard show.status == 0 else {
                throw ResultsSourceError("\(spec): git show failed: \(show.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
            }
            return ResultsSource(label: spec, text: show.stdout, note: nil)
        }
        let verify = try git(["rev-parse", "--verify", "--quiet", "\(spec)^{commit}"], in: repository)
        guard verify.status == 0 else {
            if spec.hasSuffix(".csv") || spec.contains("/") { throw ResultsSourceError("\(spec): no such file") }
            throw ResultsSourceError("'\(spec)' is neither a file nor a git revision in \(repository)")
        }
        // The usual workflow: `irqbench run` at each commit wrote results/<commit>.csv into the
        // working tree (not committed). Prefer that file; else look at what REV itself committed.
        let short = try git(["rev-parse", "--short=12", "\(spec)^{commit}"], in: repository)
        let hash = short.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        if short.status == 0, !hash.isEmpty {
            let local = URL(fileURLWithPath: repository).appendingPathComponent("results/\(hash).csv").path
            if FileManager.default.fileExists(atPath: local), let text = try? ResultsCSV.text(of: local) {
                return ResultsSource(label: "results/\(hash).csv", text: text,
                                     note: "\(spec): using results/\(hash).csv, the results irqbench \(hash) wrote")
            }
        }
        let tree = try git(["ls-tree", "--name-only", "\(spec)", "results/"], in: repository)
        guard tree.status == 0 else {
            throw ResultsSourceError("\(spec): git ls-tree failed: \(tree.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        let candidates = tree.stdout.split(separator: "\n").map(String.init).filter {
            $0.hasSuffix(".csv") && globMatch(match, URL(fileURLWithPath: $0).lastPathComponent)
        }
        guard !candidates.isEmpty else {
            throw ResultsSourceError("no results/\(match) committed at \(spec)")
        }
        var best: (time: Int, path: String)? = nil
        for c in candidates {
            let log = try git(["log", "-1", "--format=%ct", spec, "--", c], in: repository)
            let t = Int(log.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            if best == nil || t > best!.time || (t == best!.time && c > best!.path) { best = (t, c) }
        }
        let chosen = best!.path
        let show = try git(["show", "\(spec):\(chosen)"], in: repository)
        guard show.status == 0 else {
            throw ResultsSourceError("\(spec):\(chosen): git show failed: \(show.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        let note = candidates.count > 1
            ? "\(spec): picked \(chosen), the newest of \(candidates.count) results files (name one with \(spec):PATH or narrow with --match)"
            : nil
        return ResultsSource(label: "\(spec):\(chosen)", text: show.stdout, note: note)
    }

    public func rows() throws -> [ResultRow] { try ResultsCSV.parse(text, file: label) }

    static func git(_ args: [String], in repository: String) throws -> (status: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "-C", repository] + args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        do { try p.run() } catch { throw ResultsSourceError("cannot run git: \(error)") }
        // Read both pipes concurrently with the child: a large `git show` would fill one and stall.
        let errData = Mutexed(Data())
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData.get(), as: UTF8.self))
    }
}

public struct ResultsSourceError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}

final class Mutexed<T: Sendable>: Sendable {
    private let m: Mutex<T>
    init(_ v: T) { m = Mutex(v) }
    func set(_ v: T) { m.withLock { $0 = v } }
    func get() -> T { m.withLock { $0 } }
}
