#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The recording formats of issue 4, told apart by content (magic numbers, first lines), never
/// by file name: a classic pcap named `.pcapng` is still classic pcap.
public enum ImportedFormat: Equatable, Sendable {
    /// Classic pcap; `linkType` lets the opener send LINKTYPE_USER0 (147) files to the native reader.
    case classicPcap(linkType: UInt32)
    case pcapng
    case ftrace(gzip: Bool)
    case procInterruptsSpec
    /// A lone /proc/interrupts snapshot: not replayable without its pair and a duration.
    case procInterruptsSnapshot

    static let pcapMagics: Set<UInt32> = [0xA1B2_C3D4, 0xA1B2_3C4D, 0xA1B2_CD34]

    /// The format of the file's content, or nil when it is none of these.
    public static func detect(path: String) throws(ImportError) -> ImportedFormat? {
        let head = try readHead(path: path, bytes: 1 << 16)
        if head.count >= 4 {
            let magic = head.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
            if magic == PcapngReader.sectionHeaderType { return .pcapng }
            if pcapMagics.contains(magic) || pcapMagics.contains(magic.byteSwapped) {
                guard head.count >= 24 else { return .classicPcap(linkType: 0) }
                let raw = head.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 20, as: UInt32.self) }
                // The low 16 bits are the link type; the upper ones hold FCS flags.
                let value = pcapMagics.contains(magic) ? raw : raw.byteSwapped
                return .classicPcap(linkType: value & 0xFFFF)
            }
        }
        let gzip = head.count >= 2 && head[0] == 0x1f && head[1] == 0x8b
        let text = gzip ? try gunzipHead(path: path, bytes: 1 << 16) : head
        return classifyText(text, gzip: gzip)
    }

    static func classifyText(_ bytes: [UInt8], gzip: Bool) -> ImportedFormat? {
        var lines = bytes.split(separator: 0x0a, omittingEmptySubsequences: true)
        if bytes.count >= 1 << 16, !lines.isEmpty { lines.removeLast() }  // maybe cut by the head limit
        guard let first = lines.first(where: { !$0.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0d } }) else { return nil }
        let firstText = String(decoding: first, as: UTF8.self).drop(while: { $0 == " " || $0 == "\t" })
        if firstText.hasPrefix(ProcInterruptsSpec.prefix) { return .procInterruptsSpec }
        if firstText.hasPrefix("# tracer:") || firstText.hasPrefix("cpus=") || firstText.hasPrefix("version = ") {
            return .ftrace(gzip: gzip)
        }
        let fields = firstText.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
        if !fields.isEmpty, fields.allSatisfy({ $0.hasPrefix("CPU") && Int($0.dropFirst(3)) != nil }) {
            return .procInterruptsSnapshot
        }
        for line in lines.prefix(200) {
            let isEvent = line.withUnsafeBufferPointer { p -> Bool in
                if case .event = FtraceLine.parseHeader(p) { return true }
                return false
            }
            if isEvent { return .ftrace(gzip: gzip) }
        }
        return nil
    }

    static func readHead(path: String, bytes: Int) throws(ImportError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ImportError(file: path, .file, "cannot open: \(String(cString: strerror(errno)))", kind: .io) }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: bytes)
        var count = 0
        while count < bytes {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, bytes - count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw ImportError(file: path, .file, "cannot read: \(String(cString: strerror(errno)))", kind: .io) }
            if n == 0 { break }
            count += n
        }
        return Array(buffer[..<count])
    }

    static func gunzipHead(path: String, bytes: Int) throws(ImportError) -> [UInt8] {
        let reader = try LineReader(path: path)
        var out: [UInt8] = []
        do {
            while out.count < bytes, let _ = try reader.nextLine({ line in out += line; out.append(0x0a) }) {}
        } catch let e as ImportError {
            throw e
        } catch {
            throw ImportError(file: path, .file, "\(error)")
        }
        return out
    }
}

/// Opens issue 4's recordings: the entry point for the trace opener.
public enum RecordingImport {
    /// A reader for `path`, whose content must be a network capture, ftrace text, or a
    /// /proc/interrupts spec. `path` can also be an inline spec (`procint:before=...;...`).
    public static func open(path: String, options: ImportOptions = ImportOptions()) throws(ImportError) -> any TraceRecordReader {
        if path.hasPrefix(ProcInterruptsSpec.prefix) && access(path, F_OK) != 0 {
            let spec = try ProcInterruptsSpec(text: path, baseDirectory: "", file: "--trace argument")
            return try ProcInterruptsReader(spec: spec, options: options)
        }
        switch try ImportedFormat.detect(path: path) {
        case .classicPcap?: return try ClassicPcapReader(path: path, options: options)
        case .pcapng?: return try PcapngReader(path: path, options: options)
        case .ftrace?: return try FtraceReader(path: path, options: options)
        case .procInterruptsSpec?: return try ProcInterruptsReader(spec: ProcInterruptsSpec(path: path), options: options)
        case .procInterruptsSnapshot?:
            throw ImportError(file: path, .header,
                "a single /proc/interrupts snapshot cannot be replayed: pass a spec `procint:before=FILE;after=FILE;duration_ms=N` (inline or in a file)")
        case nil:
            throw ImportError(file: path, .header, "not a pcap, pcapng, ftrace text or /proc/interrupts spec file")
        }
    }
}

extension RecordingImport {
    /// `open` for the trace opener: every error, at open or while reading, is a `TraceError`.
    static func openForTraceInput(path: String, options: TraceOptions) throws(TraceError) -> any TraceRecordReader {
        do {
            return TraceErrorReader(try open(path: path, options: ImportOptions(options)))
        } catch {
            throw error.traceError
        }
    }
}

/// Turns an importer's `ImportError`s into the project's `TraceError` as records are read.
final class TraceErrorReader: TraceRecordReader {
    private let inner: any TraceRecordReader
    init(_ inner: any TraceRecordReader) { self.inner = inner }
    var truncated: Bool { inner.truncated }
    var notes: [String] { inner.notes }
    func nextRecord() throws -> TraceEvent? {
        do {
            return try inner.nextRecord()
        } catch let e as ImportError {
            throw e.traceError
        }
    }
}
