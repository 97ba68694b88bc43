@testable import IRQRun
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `runChild` (the posix_spawn wrapper behind `toolCommit`): every byte of standard output, the
/// exit status, standard error and input on /dev/null, and a typed error when nothing can run.
struct ChildOutputTests {
    @Test func collectsStandardOutputAndExitStatus() throws {
        let r = try runChild("/bin/sh", ["-c", "printf 'a\\nb'; echo noise >&2; exit 3"])
        #expect(r.stdout == Array("a\nb".utf8), "standard error is not mixed in")
        #expect(r.exitStatus == 3)
        #expect(try runChild("/bin/sh", ["-c", "true"]) == ChildOutput(stdout: [], exitStatus: 0))
    }

    @Test func outputLargerThanThePipeBufferIsReadWhole() throws {
        // 64 KiB fills a Linux pipe: a wrapper that waited before reading would hang here.
        let r = try runChild("/bin/sh", ["-c", "head -c 300000 /dev/zero"])
        #expect(r.stdout.count == 300_000 && r.exitStatus == 0)
    }

    @Test func standardInputIsEmpty() throws {
        // A child that reads its input ends at once instead of waiting on the terminal.
        #expect(try runChild("/bin/cat", []) == ChildOutput(stdout: [], exitStatus: 0))
    }

    @Test func killedByASignalHasNoExitStatus() throws {
        #expect(try runChild("/bin/sh", ["-c", "kill -9 $$"]).exitStatus == nil)
    }

    @Test func missingExecutableIsATypedError() {
        #expect(throws: SpawnError(call: "posix_spawn /nonexistent/tool", code: ENOENT)) {
            try runChild("/nonexistent/tool", [])
        }
    }

    @Test func toolCommitIsTwelveHexDigitsInACheckout() throws {
        // These tests run from <checkout>/.build/...; a copy of the sources without .git says "unknown".
        let commit = toolCommit()
        if let set = getenv("IRQBENCH_COMMIT").map({ String(cString: $0) }), !set.isEmpty {
            #expect(commit == set, "IRQBENCH_COMMIT wins")
            return
        }
        let hex = commit.hasSuffix("-dirty") ? String(commit.dropLast(6)) : commit
        #expect(commit == "unknown" || (hex.count == 12 && hex.allSatisfy { $0.isHexDigit && !$0.isUppercase }),
                "got '\(commit)'")
    }
}
