import Foundation
import Testing
@testable import IRQResults

struct ResultsSourceTests {
    func sh(_ cmd: String, in dir: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", cmd]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        p.standardOutput = FileHandle.nullDevice
        try p.run(); p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(cmd)")
    }

    @Test func binaryFileIsRefusedWithItsName() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("irqbench-bin-\(UUID().uuidString).pcap").path
        try Data([0xD4, 0xC3, 0xB2, 0xA1, 0xFF, 0xFE, 0x00, 0x80]).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: ResultsFormatError.self) { try ResultsSource.resolve(path) }
        do { _ = try ResultsSource.resolve(path) } catch {
            #expect("\(error)" == "\(path): not a results CSV (not UTF-8 text)")
        }
    }

    @Test func pathRevisionAndRevisionColonPath() throws {
        let repo = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: repo) }
        let git = "git -c user.name=t -c user.email=t@t -c commit.gpgsign=false"
        try sh("git init -q . && mkdir results", in: repo)
        try ResultsCSV.render(simRows(commit: "one")).write(toFile: repo + "/results/one-sim.csv", atomically: true, encoding: .utf8)
        try sh("git add results && GIT_COMMITTER_DATE='2026-01-01T00:00:00' \(git) commit -qm one", in: repo)
        try ResultsCSV.render(simRows(commit: "two")).write(toFile: repo + "/results/two-sim.csv", atomically: true, encoding: .utf8)
        try sh("git add results && GIT_COMMITTER_DATE='2026-01-02T00:00:00' \(git) commit -qm two", in: repo)

        let head = try ResultsSource.resolve("HEAD", repository: repo)
        #expect(head.label == "HEAD:results/two-sim.csv")
        #expect(try head.rows().first?.commit == "two")
        #expect(head.note?.contains("picked results/two-sim.csv, the newest of 2") == true)

        let parent = try ResultsSource.resolve("HEAD~1", repository: repo)
        #expect(parent.label == "HEAD~1:results/one-sim.csv" && parent.note == nil)

        let explicit = try ResultsSource.resolve("HEAD:results/one-sim.csv", repository: repo)
        #expect(try explicit.rows().first?.commit == "one")

        let file = try ResultsSource.resolve(repo + "/results/two-sim.csv", repository: repo)
        #expect(try file.rows().count == simRows().count)

        #expect(throws: ResultsSourceError.self) { try ResultsSource.resolve("HEAD", match: "*-bench.csv", repository: repo) }
        #expect(throws: ResultsSourceError.self) { try ResultsSource.resolve("no-such-thing", repository: repo) }
    }

    /// Check out A, run, check out B, run, compare A B: the uncommitted results/<commit>.csv files
    /// that `irqbench run` wrote are what a bare revision means first.
    @Test func bareRevisionPrefersTheResultsItsRunWrote() throws {
        let repo = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: repo) }
        let git = "git -c user.name=t -c user.email=t@t -c commit.gpgsign=false"
        try sh("git init -q . && echo a > a.txt && git add a.txt && \(git) commit -qm a && echo b > a.txt && \(git) commit -qam b", in: repo)
        func short(_ rev: String) throws -> String {
            let r = try ResultsSource.git(["rev-parse", "--short=12", rev], in: repo)
            return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let a = try short("HEAD~1"), b = try short("HEAD")
        try FileManager.default.createDirectory(atPath: repo + "/results", withIntermediateDirectories: true)
        try ResultsCSV.render(simRows(commit: a)).write(toFile: repo + "/results/\(a).csv", atomically: true, encoding: .utf8)
        try ResultsCSV.render(simRows(commit: b)).write(toFile: repo + "/results/\(b).csv", atomically: true, encoding: .utf8)
        let old = try ResultsSource.resolve("HEAD~1", repository: repo)
        let new = try ResultsSource.resolve("HEAD", repository: repo)
        #expect(old.label == "results/\(a).csv")
        #expect(try old.rows().first?.commit == a)
        #expect(try new.rows().first?.commit == b)
    }
}
