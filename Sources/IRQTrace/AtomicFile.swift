#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Creates `path` all at once: `body` writes a temporary file next to it (same directory, so
/// the rename cannot cross file systems), which is renamed over `path` only when `body`
/// succeeds. On failure the temporary file is removed and `path` is untouched, so a reader
/// never sees a half-written trace.
public func writeAtomically<T>(path: String, _ body: (_ temporaryPath: String) throws -> T) throws -> T {
    let slash = path.lastIndex(of: "/")
    let directory = slash.map { String(path[..<$0]) } ?? "."
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    var template = Array("\(directory.isEmpty ? "/" : directory)/.\(name).tmp.XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else {
        throw TraceError(.io, file: path, "cannot create a temporary file in \(directory): \(String(cString: strerror(errno)))")
    }
    // mkstemp makes the file 0600; a trace is an ordinary shareable file. (Reading the umask
    // would mean changing it, which is process-wide and racy.)
    fchmod(fd, 0o644)
    close(fd)
    let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    do {
        let result = try body(temporary)
        guard rename(temporary, path) == 0 else {
            throw TraceError(.io, file: path, "cannot rename the finished temporary file into place: \(String(cString: strerror(errno)))")
        }
        return result
    } catch {
        unlink(temporary)
        throw error
    }
}

/// Writes every event of `stream` to `path` in `format`, atomically. Returns the record count.
@discardableResult
public func writeTrace(_ stream: inout some TraceStream, format: TraceFormat, path: String) throws -> Int {
    try writeAtomically(path: path) { temporary in
        let writer = try makeTraceWriter(format: format, path: temporary)
        var n = 0
        do {
            while let e = try stream.next() {
                try writer.write(e)
                n += 1
            }
        } catch var e as TraceError where e.file == temporary {
            e.file = path  // name the file the user asked for, not our temporary
            throw e
        }
        do { try writer.finish() } catch var e as TraceError where e.file == temporary {
            e.file = path
            throw e
        }
        return n
    }
}
