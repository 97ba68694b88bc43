import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The kinds of trace file irqbench knows. Always detected from the content (magic bytes, header
/// line), never from the file name.
public enum TraceFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    /// pcap, nanosecond magic, LINKTYPE_USER0 (docs/traces.md, "Native binary trace").
    case native
    /// CSV `time_ns,source,kind,count` (docs/traces.md, "Text trace"); may be gzip-compressed.
    case text
    /// Any other pcap (another link type) or a pcapng: a network capture, one request per packet.
    case networkCapture = "network-capture"
    /// Linux ftrace text: a raw `trace` file or `trace-cmd report` output.
    case ftrace
    /// A `/proc/interrupts` snapshot.
    case procInterrupts = "proc-interrupts"

    public var description: String { rawValue }
}

/// What `TraceFormat.detect` found.
public struct TraceFormatDetection: Sendable, Equatable {
    public var format: TraceFormat
    /// True when the file is gzip-compressed and `format` describes its decompressed content
    /// (read it through zlib's gzopen/gzread, which also pass plain files through unchanged).
    public var gzipCompressed: Bool

    public init(format: TraceFormat, gzipCompressed: Bool = false) {
        self.format = format
        self.gzipCompressed = gzipCompressed
    }
}

extension TraceFormat {
    /// LINKTYPE_USER0: the native format's link type.
    public static let nativeLinkType: Int32 = 147

    /// The text format's header line.
    public static let textHeader = "time_ns,source,kind,count"

    /// How many leading bytes detection looks at.
    static let sniffLength = 4096

    /// Detects the format of the file at `path` from its first bytes.
    /// Throws a `TraceError` when the file cannot be read or matches no known format.
    public static func detect(path: String) throws -> TraceFormatDetection {
        // An inline /proc/interrupts spec stands for two snapshot files; it is not a file itself.
        if path.hasPrefix(ProcInterruptsSpec.prefix) { return TraceFormatDetection(format: .procInterrupts) }
        let head = try readHead(path: path, count: sniffLength)
        if head.count >= 2 && head[0] == 0x1F && head[1] == 0x8B {
            let inner = try readGzipHead(path: path, count: sniffLength)
            guard let format = detect(head: inner, file: path).format else {
                throw TraceError(.unsupported, file: path,
                                 "gzip-compressed file whose content is not a known trace format")
            }
            if format == .native || format == .networkCapture {
                throw TraceError(.unsupported, file: path,
                                 "gzip-compressed pcap: libpcap cannot read it; decompress it first (gunzip)")
            }
            return TraceFormatDetection(format: format, gzipCompressed: true)
        }
        let result = detect(head: head, file: path)
        if let format = result.format { return TraceFormatDetection(format: format) }
        throw TraceError(.unsupported, file: path, result.why)
    }

    /// Detection on a file's first bytes (up to `sniffLength`). `why` says what was found when
    /// nothing matched.
    static func detect(head: [UInt8], file: String) -> (format: TraceFormat?, why: String) {
        if head.isEmpty {
            return (nil, "empty file: not a trace (a text trace needs at least its header line)")
        }
        if head.count >= 4 {
            let be = UInt32(head[0]) << 24 | UInt32(head[1]) << 16 | UInt32(head[2]) << 8 | UInt32(head[3])
            switch be {
            case 0xA1B2_C3D4, 0xD4C3_B2A1, 0xA1B2_3C4D, 0x4D3C_B2A1, 0xA1B2_CD34, 0x34CD_B2A1:
                // pcap: the link type is the file header's last 32-bit field (offset 20), in the
                // file's byte order; its low 16 bits are the LINKTYPE value.
                guard head.count >= 24 else {
                    return (nil, "pcap file too short for its 24-byte header (\(head.count) bytes)")
                }
                let littleEndian = head[0] == 0xD4 || head[0] == 0x4D || head[0] == 0x34
                let l = head[20..<24].map(UInt32.init)
                let linkField = littleEndian
                    ? l[0] | l[1] << 8 | l[2] << 16 | l[3] << 24
                    : l[0] << 24 | l[1] << 16 | l[2] << 8 | l[3]
                return (linkField & 0xFFFF == UInt32(nativeLinkType) ? .native : .networkCapture, "")
            case 0x0A0D_0D0A:
                return (.networkCapture, "")
            default:
                break
            }
        }
        // Text formats: look at the first lines, ignoring blank lines.
        // Split bytes, not Characters: "\r\n" is one Character in Swift.
        var lines = head.split(separator: 0x0A, omittingEmptySubsequences: true)
            .map { String(decoding: $0, as: UTF8.self).trimmedASCII(" \t\r") }
            .filter { !$0.isEmpty }
        if head.count == sniffLength, !lines.isEmpty { lines.removeLast() }  // may be cut
        if lines.contains(where: { $0.hasPrefix("# tracer:") }) { return (.ftrace, "") }
        if let first = lines.first {
            // trace-cmd report starts with "version = 6" or "cpus=N".
            if first.hasPrefix("cpus=") || first.hasPrefix("version =") { return (.ftrace, "") }
            if first.hasPrefix("CPU0") { return (.procInterrupts, "") }
            // The importer's before/after/duration spec file.
            if first.hasPrefix("procint:") { return (.procInterrupts, "") }
        }
        if let firstData = lines.first(where: { !$0.hasPrefix("#") }) {
            if firstData == textHeader { return (.text, "") }
            if firstData.contains("irq_handler_entry:") { return (.ftrace, "") }
        }
        let shown = head.prefix(4).map { byte in
            let h = String(byte, radix: 16)
            return h.count == 1 ? "0" + h : h
        }.joined(separator: " ")
        return (nil, "not a known trace format (first bytes \(shown)); expected a pcap/pcapng capture, "
                + "a text trace starting with '\(textHeader)', ftrace text or /proc/interrupts")
    }

    static func readHead(path: String, count: Int) throws -> [UInt8] {
        guard let f = fopen(path, "rb") else {
            throw TraceError(.io, file: path, "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { fclose(f) }
        var buffer = [UInt8](repeating: 0, count: count)
        let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, count, f) }
        if n < count && ferror(f) != 0 {
            throw TraceError(.io, file: path, "read error: \(String(cString: strerror(errno)))")
        }
        return Array(buffer.prefix(n))
    }

    static func readGzipHead(path: String, count: Int) throws -> [UInt8] {
        guard let gz = gzopen(path, "rb") else {
            throw TraceError(.io, file: path, "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { gzclose(gz) }
        var buffer = [UInt8](repeating: 0, count: count)
        let n = buffer.withUnsafeMutableBytes { gzread(gz, $0.baseAddress, UInt32(count)) }
        if n < 0 {
            var errnum: Int32 = 0
            throw TraceError(.malformed, file: path, "gzip: \(String(cString: gzerror(gz, &errnum)))")
        }
        return Array(buffer.prefix(Int(n)))
    }
}

extension String {
    func trimmedASCII(_ set: String) -> Substring {
        var s = self[...]
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return s
    }
}
