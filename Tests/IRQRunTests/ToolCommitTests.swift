import Foundation
@testable import IRQRun
import Testing

/// `checkoutCommit`: one git process gives the commit column as `git rev-parse --short=12 HEAD`
/// and `git status --porcelain` (results/ excluded, untracked files ignored) gave it before.
struct ToolCommitTests {
    /// A scratch git repository with one commit of a tracked file and a tracked results file.
    final class Repo {
        let path = NSTemporaryDirectory() + "irqbench-commit-" + UUID().uuidString

        init() throws {
            try FileManager.default.createDirectory(atPath: path + "/results", withIntermediateDirectories: true)
            try git("init", "-q")
            try write("a.txt", "one\n")
            try write("results/r.csv", "x\n")
            try git("add", "a.txt", "results/r.csv")
            try git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "first")
        }

        deinit { try? FileManager.default.removeItem(atPath: path) }

        func write(_ file: String, _ text: String) throws {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path + "/" + file))
        }

        /// git's own output, trimmed (what the test compares with: not the code under test).
        @discardableResult
        func git(_ args: String...) throws -> String {
            let out = try runChild("/usr/bin/env", ["git", "-C", path] + args)
            #expect(out.exitStatus == 0, "git \(args)")
            return String(decoding: out.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    @Test func cleanDirtyAndWhatDoesNotCount() throws {
        let repo = try Repo()
        let head = try repo.git("rev-parse", "--short=12", "HEAD")
        #expect(head.count == 12)
        #expect(checkoutCommit(repo.path) == head)
        // Untracked files and changes under results/ leave it clean.
        try repo.write("new.txt", "untracked\n")
        try repo.write("results/r.csv", "changed\n")
        #expect(checkoutCommit(repo.path) == head)
        // A tracked file changed, then the change staged: dirty either way.
        try repo.write("a.txt", "two\n")
        #expect(checkoutCommit(repo.path) == head + "-dirty")
        try repo.git("add", "a.txt")
        #expect(checkoutCommit(repo.path) == head + "-dirty")
        // Committed, then checked out detached: the new commit, clean.
        try repo.git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "second")
        let second = try repo.git("rev-parse", "--short=12", "HEAD")
        try repo.git("checkout", "-q", "--detach")
        #expect(second != head && checkoutCommit(repo.path) == second)
    }

    @Test func noCommitOrNoRepositoryIsUnknown() throws {
        let repo = try Repo()
        try repo.git("checkout", "-q", "--orphan", "empty")
        try repo.git("rm", "-q", "-r", "--cached", ".")
        #expect(checkoutCommit(repo.path) == "unknown")
        let plain = NSTemporaryDirectory() + "irqbench-nogit-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: plain, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: plain) }
        #expect(checkoutCommit(plain) == "unknown")
    }

    @Test func statusLinesGiveTheCommitString() {
        let oid = "0123456789abcdef0123456789abcdef01234567"
        #expect(commit(fromStatus: "# branch.oid \(oid)\n# branch.head main") == "0123456789ab")
        #expect(commit(fromStatus: "# branch.oid \(oid)\n# branch.head (detached)\n1 .M N... 100644 100644 100644 \(oid) \(oid) a.txt")
                == "0123456789ab-dirty")
        #expect(commit(fromStatus: "# branch.oid (initial)\n# branch.head main") == nil)
        #expect(commit(fromStatus: "") == nil)
    }
}
