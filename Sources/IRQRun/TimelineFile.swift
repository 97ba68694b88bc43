#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import IRQReplay
import IRQResults
import IRQTrace

/// The timeline file of `irqbench run --timeline FILE.csv` (docs/timeline.md): one CSV whose rows
/// are each replay's timeline rows, replay after replay in the results' order.
///
/// Without `--worst`, each replay streams its rows into a part file of its own while it runs (so
/// parallel replays need no lock and no replay holds its rows in memory); with `--worst N`, each
/// keeps its N worst requests in a heap (`WorstRequests`). At the end the parts are joined into a
/// temporary file next to FILE, which is synced and renamed over it: FILE is never half-written.
public enum TimelineCSV {
    public static let header =
        "trace,params,strategy,kind,record,position,source,owner,hart,arrival,claim,guest_claim,start,done,n"

    /// The first three fields of every row of one replay, with their commas.
    public static func prefix(trace: String, params: String, strategy: String) -> [UInt8] {
        Array(([trace, params, strategy].map(CSVText.field).joined(separator: ",") + ",").utf8)
    }

    /// Appends `row` as one line.
    public static func append(_ row: TimelineRow, prefix: [UInt8], to out: inout [UInt8]) {
        @inline(__always) func number(_ v: UInt64?) {
            out.append(UInt8(ascii: ","))
            if let v { TextTraceWriter.appendDecimal(v, to: &out) }
        }
        out.append(contentsOf: prefix)
        out.append(contentsOf: row.kind == .request ? requestBytes : serviceStartBytes)
        number(row.record)
        number(row.position)
        number(UInt64(row.source))
        out.append(contentsOf: row.hostOwned ? hostBytes : guestBytes)
        number(row.hart.map(UInt64.init))
        number(row.arrival)
        number(row.claim)
        number(row.guestClaim)
        number(row.start)
        number(row.done)
        number(row.n)
        out.append(0x0A)
    }

    private static let requestBytes = Array("request".utf8)
    private static let serviceStartBytes = Array("service_start".utf8)
    private static let hostBytes = Array(",host".utf8)
    private static let guestBytes = Array(",guest".utf8)
}

/// What `irqbench run --timeline` asks of every replay.
public struct TimelineSpec: Sendable {
    /// Keep only this many worst requests per replay; nil: every row, streamed.
    public var worst: Int?
    public var worstBy: TimelineLatency
    /// Where replays stream their part files (`TimelineParts.directory`).
    public var partsDirectory: String

    public init(worst: Int?, worstBy: TimelineLatency, partsDirectory: String) {
        self.worst = worst
        self.worstBy = worstBy
        self.partsDirectory = partsDirectory
    }
}

/// One replay's share of the timeline file.
public enum TimelinePart: Sendable {
    /// Rendered lines in this part file.
    case file(String)
    /// The worst requests, with the replay's row prefix.
    case rows([TimelineRow], prefix: [UInt8])
}

/// A sink that renders rows into a part file as they come, through a buffer. A write error is
/// kept and reported by `finish`, so the replay itself never stops for it.
final class TimelinePartWriter: TimelineSink {
    let path: String
    private let prefix: [UInt8]
    private var file: UnsafeMutablePointer<FILE>?
    private var buffer: [UInt8] = []
    private var failure: String?

    /// Creates a fresh part file in `directory`.
    init(directory: String, prefix: [UInt8]) throws {
        var template = Array("\(directory)/part.XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0, let f = fdopen(fd, "wb") else {
            let reason = String(cString: strerror(errno))
            if fd >= 0 { close(fd) }
            throw TimelineError("cannot create a part file in \(directory): \(reason)")
        }
        path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        file = f
        self.prefix = prefix
        buffer.reserveCapacity(1 << 16)
    }

    deinit { if let file { fclose(file) } }

    func add(_ row: TimelineRow) {
        TimelineCSV.append(row, prefix: prefix, to: &buffer)
        if buffer.count >= 1 << 16 { flush() }
    }

    private func flush() {
        guard let file, failure == nil, !buffer.isEmpty else { buffer.removeAll(keepingCapacity: true); return }
        let n = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        if n != buffer.count { failure = String(cString: strerror(errno)) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and closes the file.
    func finish() throws {
        flush()
        if let f = file {
            file = nil
            if fclose(f) != 0 && failure == nil { failure = String(cString: strerror(errno)) }
        }
        if let failure { throw TimelineError("writing the timeline part \(path): \(failure)") }
    }
}

public struct TimelineError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}

/// The part files' directory, next to the timeline file, made before any replay so that a path
/// that cannot be written is refused at once, and removed with whatever it holds at the end.
public final class TimelineParts {
    public let target: String
    public let directory: String

    /// Makes the directory next to `target` (creating `target`'s folders as the results file's are).
    public init(target: String) throws {
        self.target = target
        let slash = target.lastIndex(of: "/")
        let folder = slash.map { String(target[..<$0]) } ?? "."
        let name = slash.map { String(target[target.index(after: $0)...]) } ?? target
        let base = folder.isEmpty ? "/" : folder
        guard !name.isEmpty else { throw TimelineError("--timeline \(target): names a folder, not a file") }
        var made: String?
        for attempt in 0..<2 {
            var template = Array("\(base)/.\(name).parts.XXXXXX".utf8CString)
            if template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil {
                made = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
                break
            }
            let reason = String(cString: strerror(errno))
            guard attempt == 0, errno == ENOENT, Self.makeFolders(base) else {
                throw TimelineError("--timeline \(target): cannot write in \(base): \(reason)")
            }
        }
        directory = made!
    }

    deinit { remove() }

    /// `mkdir -p`.
    private static func makeFolders(_ path: String) -> Bool {
        var sofar = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            sofar += "/" + part
            if mkdir(sofar, 0o755) != 0 && errno != EEXIST { return false }
        }
        return true
    }

    /// Joins `parts` (in order) under the header into the target, atomically; returns the rows written.
    @discardableResult
    public func write(_ parts: [TimelinePart]) throws -> Int {
        var rows = 0
        try writeAtomically(path: target) { temporary in
            guard let out = fopen(temporary, "wb") else {
                throw TimelineError("--timeline \(target): cannot write: \(String(cString: strerror(errno)))")
            }
            var ok = true
            func put(_ bytes: [UInt8]) {
                if ok && bytes.withUnsafeBytes({ fwrite($0.baseAddress, 1, $0.count, out) }) != bytes.count { ok = false }
            }
            put(Array((TimelineCSV.header + "\n").utf8))
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            for part in parts {
                switch part {
                case .file(let path):
                    guard let f = fopen(path, "rb") else {
                        fclose(out)
                        throw TimelineError("cannot read the timeline part \(path): \(String(cString: strerror(errno)))")
                    }
                    while ok {
                        let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
                        if n == 0 { break }
                        rows += chunk[..<n].lazy.filter { $0 == 0x0A }.count
                        put(Array(chunk[..<n]))
                    }
                    fclose(f)
                    unlink(path)
                case .rows(let list, let prefix):
                    var bytes: [UInt8] = []
                    for r in list { TimelineCSV.append(r, prefix: prefix, to: &bytes) }
                    rows += list.count
                    put(bytes)
                }
            }
            ok = ok && fflush(out) == 0 && fsync(fileno(out)) == 0
            let reason = String(cString: strerror(errno))
            if fclose(out) != 0 { ok = false }
            guard ok else { throw TimelineError("--timeline \(target): write failed: \(reason)") }
        }
        return rows
    }

    /// Removes the directory and any part left in it (a failed replay's).
    public func remove() {
        guard let d = opendir(directory) else { return }
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != "." && name != ".." { unlink("\(directory)/\(name)") }
        }
        closedir(d)
        rmdir(directory)
    }
}
