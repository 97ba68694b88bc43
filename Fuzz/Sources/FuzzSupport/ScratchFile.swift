#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One file per fuzzing process that each input is written to, for the readers that take a path
/// (libpcap opens files by name; the importers map or stream them). It lives on /dev/shm when
/// there is one, so writing it is a memory copy, not disk I/O; rewriting one file in place keeps
/// the cost per input at open + write + close (measured rates in docs/fuzzing.md).
public final class ScratchFile: Sendable {
    public let path: String

    /// `name` tells apart several scratch files of one process (e.g. `before`, `after`).
    public init(_ name: String) {
        var shm = stat()
        let dir = stat("/dev/shm", &shm) == 0 && access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
        path = "\(dir)/irqbench-fuzz-\(getpid())-\(name)"
        ScratchFile.removeAtExit(path)
    }

    /// Replaces the file's content with `bytes`.
    public func write(_ bytes: UnsafeRawBufferPointer) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        precondition(fd >= 0, "cannot create the scratch file \(path): \(String(cString: strerror(errno)))")
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            precondition(n > 0 || errno == EINTR, "cannot write the scratch file \(path)")
            if n > 0 { done += n }
        }
        close(fd)
    }

    public func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { write($0) }
    }

    nonisolated(unsafe) private static var created: [String] = []

    private static func removeAtExit(_ path: String) {
        if created.isEmpty {
            atexit { for p in ScratchFile.created { unlink(p) } }
        }
        created.append(path)
    }
}
