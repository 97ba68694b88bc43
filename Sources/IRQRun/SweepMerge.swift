import Foundation
import IRQResults
import IRQTrace

/// `irqbench merge`: puts the parts of a sharded sweep back together into the file the unsharded
/// sweep writes, byte for byte, after checking that they belong together.
public enum SweepMerge {
    /// Why parts cannot be merged: every problem found, one line each.
    public struct Refusal: Error, CustomStringConvertible {
        public var problems: [String]
        public var description: String { problems.joined(separator: "\n") }
    }

    public struct Summary: Sendable {
        public var parts = 0
        public var replays = 0
        public var rows = 0
        /// The `# failed:` lines of the parts, in replay order.
        public var failed: [String] = []
        /// Replays the parts skipped (strategies the point's controllers cannot run).
        public var skipped = 0
    }

    /// Reads every part's manifest and checks that together they are one sweep, each part exactly
    /// once. Returns the readers (positioned after their headers) by part index, and the plan.
    static func open(_ paths: [String]) throws -> (plan: SweepPlan, readers: [ResultsFileReader]) {
        var problems: [String] = []
        var parts: [(path: String, part: SweepManifest.Part, reader: ResultsFileReader)] = []
        for p in paths {
            do {
                let reader = try ResultsFileReader(path: p)
                let part = try SweepManifest.parse(try reader.readPreamble(), file: p)
                parts.append((p, part, reader))
            } catch {
                problems.append("\(error)")
            }
        }
        guard !parts.isEmpty else { throw Refusal(problems: problems.isEmpty ? ["no parts given"] : problems) }

        // The sweep most parts belong to (ties: the first part's) is the one being merged; the
        // others are foreign, and the message says in what they differ.
        var votes: [[String]: Int] = [:]
        for p in parts { votes[p.part.identity + ["\(p.part.shard.count)"], default: 0] += 1 }
        let first = parts[0].part.identity + ["\(parts[0].part.shard.count)"]
        let reference = votes.max { a, b in a.value != b.value ? a.value < b.value : b.key == first }!.key
        let referencePart = parts.first { $0.part.identity + ["\($0.part.shard.count)"] == reference }!
        let n = referencePart.part.shard.count
        var byIndex: [Int: [String]] = [:]
        var readers = [ResultsFileReader?](repeating: nil, count: n)
        for p in parts {
            if p.part.identity + ["\(p.part.shard.count)"] != reference {
                problems.append("foreign: \(p.path) is not part of the sweep of \(referencePart.path): "
                    + difference(p.part, referencePart.part))
                continue
            }
            byIndex[p.part.shard.index, default: []].append(p.path)
            readers[p.part.shard.index] = p.reader
        }
        for (i, files) in byIndex.sorted(by: { $0.key < $1.key }) where files.count > 1 {
            problems.append("duplicated: part \(i)/\(n) is given \(files.count) times (\(files.joined(separator: ", ")))")
        }
        let missing = (0..<n).filter { byIndex[$0] == nil }
        if !missing.isEmpty {
            problems.append("missing: part\(missing.count > 1 ? "s" : "") \(missing.map { "\($0)/\(n)" }.joined(separator: ", ")) "
                + "of the sweep of \(referencePart.path) (\(n - missing.count) of \(n) given)")
        }
        guard problems.isEmpty else { throw Refusal(problems: problems) }
        return (referencePart.part.plan, readers.map { $0! })
    }

    static func difference(_ a: SweepManifest.Part, _ b: SweepManifest.Part) -> String {
        if a.shard.count != b.shard.count { return "it is part \(a.shard) of a sweep split in \(a.shard.count), not \(b.shard.count)" }
        let mine = Set(a.identity), theirs = Set(b.identity)
        let only = a.identity.filter { !theirs.contains($0) }.map { $0.dropFirst(2) }
        let not = b.identity.filter { !mine.contains($0) }.map { $0.dropFirst(2) }
        var parts: [String] = []
        if !only.isEmpty { parts.append("it has '\(only.joined(separator: "', '"))'") }
        if !not.isEmpty { parts.append("where the sweep has '\(not.joined(separator: "', '"))'") }
        return parts.isEmpty ? "its manifest lines are in another order" : parts.joined(separator: " ")
    }

    /// Merges `paths` into `out` (atomically; nothing is written when they are refused).
    public static func merge(_ paths: [String], to out: String) throws -> Summary {
        let (plan, readers) = try open(paths)
        var summary = Summary()
        summary.parts = readers.count
        let n = readers.count
        let parent = URL(fileURLWithPath: out).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        var partReplays = [Int](repeating: 0, count: n), partRows = [Int](repeating: 0, count: n)
        try writeAtomically(path: out) { temporary in
            let file = try BufferedFile(path: temporary)
            try file.write(ResultsSchema.header + "\n")
            for j in 0..<plan.replayCount {
                let i = Shard.part(of: j, count: n)
                partReplays[i] += 1
                summary.replays += 1
                switch try copyReplay(j, plan: plan, from: readers[i], to: file) {
                case .rows(let rows):
                    summary.rows += rows
                    partRows[i] += rows
                case .gap(.failed, let line): summary.failed.append(line)
                case .gap(.skipped, _): summary.skipped += 1
                }
            }
            for (i, reader) in readers.enumerated() {
                try checkEnd(reader, replays: partReplays[i], rows: partRows[i])
            }
            try file.close()
        }
        return summary
    }

    enum Copied {
        case rows(Int)
        case gap(SweepManifest.Gap, String)
    }

    /// Copies replay j's rows from its part, checking that they are the rows of that replay: its
    /// grid point, trace and strategy, the sweep's commit, the trace's sha256. A replay that failed
    /// or was skipped in its part left a line in its place instead.
    static func copyReplay(_ j: Int, plan: SweepPlan, from reader: ResultsFileReader, to file: BufferedFile) throws -> Copied {
        let r = plan.replay(j)
        let (trace, params, strategy) = (plan.traces[r.trace], plan.params(at: r.point), plan.strategies[r.strategy])
        func misplaced(_ what: String) -> GridError {
            GridError("\(reader.path):\(reader.lineNumber): \(what) where replay \(j) (\(plan.describe(j))) belongs")
        }
        if case .comment(let c)? = try skipBlank(reader)?.line, let gap = SweepManifest.gap(c) {
            guard gap.replay == j else { throw misplaced("a line about replay \(gap.replay)") }
            _ = try reader.next()
            return .gap(gap.gap, c)
        }
        var rows = 0
        while let (line, text) = try skipBlank(reader) {
            // The end of this replay's rows: the next replay's rows or gap line, or the end line.
            guard case .row(let row) = line else {
                if rows > 0 { break }
                throw misplaced("'\(text)'")
            }
            guard row.trace == trace.name && row.params == params && row.strategy == strategy else {
                if rows > 0 { break }
                throw misplaced("rows of '\(row.params) \(row.trace) \(row.strategy)' (the part is damaged or was edited)")
            }
            guard row.commit == plan.commit, row.traceSHA256 == trace.sha256 else {
                throw GridError("\(reader.path):\(reader.lineNumber): a row whose commit or trace_sha256 differs from the part's manifest")
            }
            _ = try reader.next()
            // Rendered again rather than copied: a part whose line ends were changed in transit
            // (CRLF) still merges into the exact bytes of the unsharded sweep.
            try file.write(row.csvLine + "\n")
            rows += 1
        }
        guard rows > 0 else {
            throw GridError("\(reader.path): ends before replay \(j) (\(plan.describe(j))): the part is cut short")
        }
        return .rows(rows)
    }

    /// After its last replay a part has its end line, whose counts match what was read, and nothing else.
    static func checkEnd(_ reader: ResultsFileReader, replays: Int, rows: Int) throws {
        guard case .comment(let c)? = try skipBlank(reader)?.line, let end = SweepManifest.end(c) else {
            if let (_, text) = try skipBlank(reader) {
                throw GridError("\(reader.path):\(reader.lineNumber): '\(text)' after the part's last replay")
            }
            throw GridError("\(reader.path): cut short (no '# irqbench-sweep-part-end' line): copy the part again or rerun it")
        }
        _ = try reader.next()
        guard end.replays == replays, end.rows == rows else {
            throw GridError("\(reader.path): its end line counts \(end.replays) replays and \(end.rows) rows, "
                + "but \(replays) and \(rows) were read: the part is damaged")
        }
        if let (_, text) = try skipBlank(reader) {
            throw GridError("\(reader.path):\(reader.lineNumber): '\(text)' after the part's end line")
        }
    }

    /// Peeks past blank lines (comments other than failures are not expected after the header).
    static func skipBlank(_ reader: ResultsFileReader) throws -> (line: ResultsLineParser.Line, text: String)? {
        while let p = try reader.peek() {
            if case .blank = p.line { _ = try reader.next(); continue }
            return p
        }
        return nil
    }
}
