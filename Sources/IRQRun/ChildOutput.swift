#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a child process could not be run: the C call that failed and its errno.
public struct SpawnError: Error, Equatable, CustomStringConvertible {
    public var call: String
    public var code: Int32
    public var description: String { "\(call): \(String(cString: strerror(code)))" }
}

/// What a child process printed and how it ended.
public struct ChildOutput: Equatable {
    /// Its standard output, every byte.
    public var stdout: [UInt8]
    /// Its exit status (0-255), or nil when a signal ended it.
    public var exitStatus: Int32?
}

/// Runs `executable` (an absolute path; `arguments` are argv[1...]) with this process's
/// environment, its standard input and error on /dev/null, and collects its standard output:
/// `posix_spawn(3)` with `posix_spawn_file_actions_adddup2`/`addopen`, a `pipe(2)` read to
/// EOF, then `waitpid(2)`. Foundation's `Process` does the same with a run loop thread and
/// costs about a tenth of a second of wall time per call here; this costs the fork and exec.
public func runChild(_ executable: String, _ arguments: [String]) throws(SpawnError) -> ChildOutput {
    var fds: [Int32] = [-1, -1]
    guard pipe(&fds) == 0 else { throw SpawnError(call: "pipe", code: errno) }
    let (readEnd, writeEnd) = (fds[0], fds[1])
    // The read end must not outlive this call in a child spawned by another thread.
    _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
    _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)

    #if canImport(Glibc)
    var actions = posix_spawn_file_actions_t()
    #else
    var actions: posix_spawn_file_actions_t? = nil
    #endif
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    // dup2 clears close-on-exec on the copy, so the child keeps only fd 1 of the pipe.
    posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)

    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { for p in argv { free(p) } }
    var pid = pid_t()
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    close(writeEnd)
    guard spawned == 0 else {
        close(readEnd)
        throw SpawnError(call: "posix_spawn \(executable)", code: spawned)
    }

    var output: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    var readError: Int32 = 0
    while true {
        let n = chunk.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
        if n > 0 { output += chunk[..<n]; continue }
        if n < 0 && errno == EINTR { continue }
        if n < 0 { readError = errno }
        break
    }
    close(readEnd)

    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
        guard errno == EINTR else { throw SpawnError(call: "waitpid", code: errno) }
    }
    guard readError == 0 else { throw SpawnError(call: "read", code: readError) }
    // WIFEXITED / WEXITSTATUS (C macros, not imported): low 7 bits 0 means a normal exit.
    let exited = status & 0x7f == 0
    return ChildOutput(stdout: output, exitStatus: exited ? (status >> 8) & 0xff : nil)
}
