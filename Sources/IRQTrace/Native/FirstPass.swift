#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the first pass over a native trace in its common form found (its report: record count,
/// time order, origin, gaps, SHA-256), with the file it was found for and when: another open of
/// the same unchanged file may take it instead of reading the file again
/// (`TraceInput.open(path:options:reusing:)`).
public struct FirstPass: Sendable {
    public let path: String
    public let options: TraceOptions
    public let identity: FileIdentity
    public let report: TraceReport
}

/// Which file a path named, and its state: `stat(2)`'s device, inode, size, modification and
/// status-change times. A write to the file, a rename of another file over it or a truncation
/// gives another identity (the times have nanosecond resolution on Linux file systems).
public struct FileIdentity: Sendable, Equatable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let modified: (seconds: Int, nanoseconds: Int)
    let changed: (seconds: Int, nanoseconds: Int)

    /// `stat(2)` of `path`; nil when it cannot be taken.
    init?(path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        size = Int64(st.st_size)
        modified = (Int(st.st_mtim.tv_sec), Int(st.st_mtim.tv_nsec))
        changed = (Int(st.st_ctim.tv_sec), Int(st.st_ctim.tv_nsec))
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.device == b.device && a.inode == b.inode && a.size == b.size && a.modified == b.modified
            && a.changed == b.changed
    }
}
