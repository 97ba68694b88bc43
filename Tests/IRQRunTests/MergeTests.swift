import Foundation
import IRQReplay
import IRQRun
import Testing

/// merge's refusals: every problem named (missing, duplicated, foreign, damaged parts), nothing
/// written.
struct MergeTests {
    /// One sweep in three parts, and a fourth file from another sweep (another commit).
    static func parts() throws -> (dir: String, parts: [String], foreign: String, whole: String) {
        let s = try GridSweepTests.setup(axes: [GridAxis(name: "service", values: ["1000", "3000"])], strategies: [.guestEnd])
        let parts = try (0..<3).map { try GridSweepTests.sweep(s, jobs: 1, part: try Shard(index: $0, count: 3), name: "p\($0).csv").path }
        let other = try GridSweepTests.setup(axes: [GridAxis(name: "service", values: ["1000", "3000"])], strategies: [.guestEnd], commit: "other")
        var o = other
        o.dir = s.dir
        let foreign = try GridSweepTests.sweep(o, jobs: 1, part: try Shard(index: 1, count: 3), name: "foreign.csv").path
        let whole = try GridSweepTests.sweep(s, jobs: 1, name: "whole.csv").path
        return (s.dir, parts, foreign, whole)
    }

    static func refusal(_ paths: [String], dir: String) -> [String] {
        let out = (dir as NSString).appendingPathComponent("out-\(UUID().uuidString).csv")
        defer { #expect(!FileManager.default.fileExists(atPath: out), "nothing written on refusal") }
        do {
            _ = try SweepMerge.merge(paths, to: out)
            return []
        } catch let r as SweepMerge.Refusal {
            return r.problems
        } catch {
            return ["\(error)"]
        }
    }

    @Test func missingPartIsNamed() throws {
        let f = try Self.parts()
        #expect(Self.refusal([f.parts[0], f.parts[2]], dir: f.dir) == ["missing: part 1/3 of the sweep of \(f.parts[0]) (2 of 3 given)"])
    }

    @Test func duplicatedPartIsNamed() throws {
        let f = try Self.parts()
        let copy = (f.dir as NSString).appendingPathComponent("copy.csv")
        try FileManager.default.copyItem(atPath: f.parts[2], toPath: copy)
        #expect(Self.refusal(f.parts + [copy], dir: f.dir) == ["duplicated: part 2/3 is given 2 times (\(f.parts[2]), \(copy))"])
    }

    @Test func foreignPartIsNamedWithWhatDiffers() throws {
        let f = try Self.parts()
        let problems = Self.refusal([f.parts[0], f.foreign, f.parts[2]], dir: f.dir)
        #expect(problems.count == 2, "\(problems)")
        #expect(problems.first == "foreign: \(f.foreign) is not part of the sweep of \(f.parts[0]): it has 'commit: other' where the sweep has 'commit: test'")
        #expect(problems.last?.hasPrefix("missing: part 1/3") == true)
    }

    @Test func aFileThatIsNotAPartIsRefused() throws {
        let f = try Self.parts()
        let problems = Self.refusal(f.parts + [f.whole], dir: f.dir)
        #expect(problems == ["\(f.whole): not a sweep part (no '# irqbench-sweep-part: i/N' line first; parts are written by irqbench sweep --shard)"])
    }

    @Test func aPartOfAnotherSplitIsForeign() throws {
        let f = try Self.parts()
        let s = try GridSweepTests.setup(axes: [GridAxis(name: "service", values: ["1000", "3000"])], strategies: [.guestEnd])
        let half = try GridSweepTests.sweep(s, jobs: 1, part: try Shard(index: 0, count: 2), name: "half.csv").path
        let problems = Self.refusal(f.parts + [half], dir: f.dir)
        #expect(problems == ["foreign: \(half) is not part of the sweep of \(f.parts[0]): it is part 0/2 of a sweep split in 2, not 3"])
    }

    @Test func aCutPartIsRefused() throws {
        let f = try Self.parts()
        let lines = try String(contentsOfFile: f.parts[1], encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        try (lines.dropLast(20).joined(separator: "\n") + "\n").write(toFile: f.parts[1], atomically: true, encoding: .utf8)
        #expect(Self.refusal(f.parts, dir: f.dir) == ["\(f.parts[1]): cut short (no '# irqbench-sweep-part-end' line): copy the part again or rerun it"])
    }

    @Test func anEditedPartIsRefused() throws {
        let f = try Self.parts()
        let text = try String(contentsOfFile: f.parts[2], encoding: .utf8)
        try text.replacingOccurrences(of: ",service=3000,", with: ",service=3001,").write(toFile: f.parts[2], atomically: true, encoding: .utf8)
        let problem = Self.refusal(f.parts, dir: f.dir).first ?? ""
        #expect(problem.contains("p2.csv") && problem.contains("rows of 'service=3001"), "\(problem)")
    }

    @Test func partsWithWindowsLineEndsStillMergeExactly() throws {
        let f = try Self.parts()
        let text = try String(contentsOfFile: f.parts[0], encoding: .utf8)
        try text.replacingOccurrences(of: "\n", with: "\r\n").write(toFile: f.parts[0], atomically: true, encoding: .utf8)
        let out = (f.dir as NSString).appendingPathComponent("merged.csv")
        _ = try SweepMerge.merge(f.parts, to: out)
        #expect(try GridSweepTests.bytes(out) == GridSweepTests.bytes(f.whole))
    }

    /// A replay a part skipped (its strategy cannot run on the point's controllers) leaves no rows
    /// and is no failure.
    @Test func skippedReplaysLeaveNoRowsAndAreNoFailure() throws {
        let f = try Self.parts()
        // Replay 1 (service=1000, periodic.pcap, guest-end) is in part 1.
        let key = ",service=1000,guest-end,"
        let part = try String(contentsOfFile: f.parts[1], encoding: .utf8).split(separator: "\n").map(String.init)
        var edited: [String] = []
        var rows = 0
        for line in part {
            if line.contains(",periodic.pcap,") && line.contains(key) {
                if !edited.contains(where: { $0.hasPrefix("# skipped:") }) {
                    edited.append("# skipped: 1 service=1000 periodic.pcap guest-end: strategy guest-end cannot run on irqchip=x")
                }
                continue
            }
            if line.hasPrefix("# irqbench-sweep-part-end:") {
                edited.append("# irqbench-sweep-part-end: 2 replays, \(rows) rows") // replays 1 and 3
                continue
            }
            if !line.hasPrefix("#") && !line.hasPrefix("schema,") { rows += 1 }
            edited.append(line)
        }
        try (edited.joined(separator: "\n") + "\n").write(toFile: f.parts[1], atomically: true, encoding: .utf8)
        let out = (f.dir as NSString).appendingPathComponent("merged.csv")
        let summary = try SweepMerge.merge(f.parts, to: out)
        #expect(summary.skipped == 1 && summary.failed.isEmpty)
        let whole = try String(contentsOfFile: f.whole, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let expected = whole.filter { !($0.contains(",periodic.pcap,") && $0.contains(key)) }.joined(separator: "\n")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == expected)
    }
}
