#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a text trace: the header line, then `time_ns,source,kind,count` per record. The
/// output is the canonical spelling the reader accepts, so text -> native -> text is
/// byte-identical for a canonical input.
public final class TextTraceWriter: TraceWriter {
    public let file: String
    private var handle: UnsafeMutablePointer<FILE>?
    private var line: [UInt8] = []
    public private(set) var recordsWritten = 0

    public init(path: String) throws {
        file = path
        guard let f = fopen(path, "wb") else {
            throw TraceError(.io, file: path, "cannot create: \(String(cString: strerror(errno)))")
        }
        handle = f
        line.reserveCapacity(64)
        try put(Array((TraceFormat.textHeader + "\n").utf8))
    }

    deinit { if let handle { fclose(handle) } }

    public func write(_ event: TraceEvent) throws {
        let index = recordsWritten + 1
        try TraceEvent.check(event, file: file, at: .record(index))
        line.removeAll(keepingCapacity: true)
        Self.appendDecimal(event.time, to: &line)
        line.append(UInt8(ascii: ","))
        Self.appendDecimal(UInt64(event.source), to: &line)
        line.append(UInt8(ascii: ","))
        line.append(contentsOf: event.kind == .level ? Array("level".utf8) : Array("edge".utf8))
        line.append(UInt8(ascii: ","))
        Self.appendDecimal(UInt64(event.count), to: &line)
        line.append(0x0A)
        try put(line)
        recordsWritten = index
    }

    public func finish() throws {
        guard let f = handle else { return }
        handle = nil
        let flushFailed = fflush(f) != 0 || ferror(f) != 0
        let closeFailed = fclose(f) != 0
        if flushFailed || closeFailed {
            throw TraceError(.io, file: file, "write failed: \(String(cString: strerror(errno)))")
        }
    }

    private func put(_ bytes: [UInt8]) throws {
        guard let f = handle else { throw TraceError(.io, file: file, "written after finish()") }
        let n = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        if n != bytes.count {
            throw TraceError(.io, file: file, "write failed: \(String(cString: strerror(errno)))")
        }
    }

    public static func appendDecimal(_ value: UInt64, to out: inout [UInt8]) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        var v = value
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[n] = UInt8(v % 10) + 0x30
                v /= 10
                n += 1
            } while v > 0
            for i in stride(from: n - 1, through: 0, by: -1) { out.append(d[i]) }
        }
    }
}
