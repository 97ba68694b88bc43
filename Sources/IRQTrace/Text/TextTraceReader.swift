import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a text trace (docs/traces.md, "Text trace") in chunks through zlib (plain and gzip-compressed
/// files alike), so memory stays bounded by the chunk size and the longest line whatever the
/// file's length.
///
/// Errors name the file and the 1-based line. Blank lines and lines starting with `#` are
/// skipped; spaces and tabs around fields and a trailing CR are tolerated. A last line with no
/// newline that does not parse is taken as a file cut short (`truncated`), not as an error.
public final class TextTraceReader: TraceRecordReader {
    public let file: String
    private var gz: gzFile?
    private var buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var atEOF = false
    private var sawHeader = false
    public private(set) var line = 0
    public private(set) var truncated = false
    public private(set) var notes: [String] = []

    static let chunkSize = 64 * 1024
    /// Longer lines are refused rather than buffered without bound.
    static let maxLineLength = 4096

    public init(path: String) throws {
        file = path
        guard let gz = gzopen(path, "rb") else {
            throw TraceError(.io, file: path, "cannot open: \(String(cString: strerror(errno)))")
        }
        self.gz = gz
        buffer = .allocate(byteCount: Self.chunkSize + Self.maxLineLength, alignment: 8)
    }

    deinit {
        if let gz { gzclose(gz) }
        buffer.deallocate()
    }

    public func nextRecord() throws -> TraceEvent? {
        while let (lineBytes, terminated) = try nextLine() {
            let trimmed = Self.trim(lineBytes)
            if trimmed.isEmpty || trimmed.first == UInt8(ascii: "#") { continue }
            if !sawHeader {
                guard trimmed.elementsEqual(TraceFormat.textHeader.utf8) else {
                    throw error("missing header line '\(TraceFormat.textHeader)' (found '\(Self.show(trimmed))')")
                }
                sawHeader = true
                continue
            }
            do {
                return try parse(trimmed)
            } catch let e as TraceError where !terminated {
                truncated = true
                notes.append("\(file):\(line): last line has no newline and does not parse (\(e.reason)); taken as a file cut short")
                return nil
            }
        }
        if !sawHeader { throw error("missing header line '\(TraceFormat.textHeader)' (no data lines)") }
        return nil
    }

    private func error(_ reason: String) -> TraceError {
        TraceError(.malformed, file: file, at: .line(line), reason)
    }

    /// The next line without its newline, and whether it had one. The slice is valid until the
    /// next call.
    private func nextLine() throws -> (UnsafeRawBufferPointer, Bool)? {
        while true {
            let available = UnsafeRawBufferPointer(rebasing: buffer[start..<end])
            // `available` is rebased: its indices start at 0, not at `start`.
            if let nl = available.firstIndex(of: 0x0A) {
                let lineBytes = UnsafeRawBufferPointer(rebasing: available[0..<nl])
                start += nl + 1
                line += 1
                if lineBytes.count > Self.maxLineLength { throw error("line longer than \(Self.maxLineLength) bytes") }
                return (lineBytes, true)
            }
            if atEOF {
                guard start < end else { return nil }
                let lineBytes = available
                start = end
                line += 1
                return (lineBytes, false)
            }
            if end - start > Self.maxLineLength {
                line += 1
                throw error("line longer than \(Self.maxLineLength) bytes")
            }
            // Keep the partial line, then refill behind it.
            if start > 0 {
                buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: end - start)
                end -= start
                start = 0
            }
            let room = buffer.count - end
            let n = gzread(gz, buffer.baseAddress! + end, UInt32(room))
            if n < 0 {
                var errnum: Int32 = 0
                throw TraceError(.io, file: file, "read error: \(String(cString: gzerror(gz, &errnum)))")
            }
            if n == 0 { atEOF = true }
            end += Int(n)
        }
    }

    private func parse(_ bytes: UnsafeRawBufferPointer) throws -> TraceEvent {
        let parts = bytes.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        guard parts.count == 4 else {
            throw error("expected 4 fields (time_ns,source,kind,count), found \(parts.count)")
        }
        let fields = (parts[0], parts[1], parts[2], parts[3])
        let time = try number(fields.0, field: "time_ns", max: TraceEvent.maxTime)
        let source = try number(fields.1, field: "source", max: UInt64.max)
        guard source >= 1 && source <= 1023 else {
            throw error("source \(source) is outside 1...1023")
        }
        let kindText = Self.trim(UnsafeRawBufferPointer(rebasing: fields.2))
        let kind: RequestKind
        if kindText.elementsEqual("level".utf8) { kind = .level }
        else if kindText.elementsEqual("edge".utf8) { kind = .edge }
        else { throw error("unknown kind '\(Self.show(kindText))' (expected level or edge)") }
        let count = try number(fields.3, field: "count", max: UInt64(UInt32.max))
        guard count >= 1 else { throw error("count is 0 (must be at least 1)") }
        return TraceEvent(time: time, source: UInt16(source), kind: kind, count: UInt32(count))
    }

    private func number(_ raw: Slice<UnsafeRawBufferPointer>, field: String, max: UInt64) throws -> UInt64 {
        let digits = Self.trim(UnsafeRawBufferPointer(rebasing: raw))
        guard !digits.isEmpty else { throw error("\(field) is empty") }
        if digits.first == UInt8(ascii: "-"), digits.count > 1,
           digits.dropFirst().allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            throw error("\(field) \(Self.show(digits)) is negative")
        }
        var value: UInt64 = 0
        for d in digits {
            guard d >= 0x30 && d <= 0x39 else {
                throw error("bad number '\(Self.show(digits))' in \(field) (integer expected)")
            }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(d - 0x30))
            guard !o1 && !o2 && a <= max else {
                throw error("\(field) \(Self.show(digits)) is out of range (at most \(max))")
            }
            value = a
        }
        return value
    }

    private static func trim(_ b: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var lo = b.startIndex, hi = b.endIndex
        func space(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D }
        while lo < hi && space(b[lo]) { lo += 1 }
        while hi > lo && space(b[hi - 1]) { hi -= 1 }
        return UnsafeRawBufferPointer(rebasing: b[lo..<hi])
    }

    private static func show(_ b: UnsafeRawBufferPointer) -> String {
        let s = String(decoding: b.prefix(60), as: UTF8.self)
        return b.count > 60 ? s + "..." : s
    }
}
