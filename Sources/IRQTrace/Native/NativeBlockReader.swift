#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The native format's common form read straight from the file in large blocks (read(2)), the
/// records decoded in place: what `TraceInput` uses for native traces, about 20 instructions a
/// record against libpcap's `pcap_next_ex` and its `fread` per record (docs/performance.md).
///
/// Only the exact form `NativeTraceWriter` writes is taken: a regular file, little-endian
/// nanosecond magic, version 2.4, link type 147 (LINKTYPE_USER0), snapshot length >= 8, and
/// records of 8 captured bytes out of 8 with a valid payload (docs/traces.md), ending on a record
/// boundary. Anything else (the other byte order, a damaged or truncated record, a pipe) makes the
/// reader report `irregular`, and `TraceInput` reads that file through libpcap
/// (`NativeTraceReader`) as before, so libpcap keeps the last word on every error message.
final class NativeBlockReader {
    enum Records {
        /// `count` records, `recordSize` bytes each, from `run` on.
        case run(UnsafeRawPointer, count: Int)
        case end
        case irregular
    }

    static let headerSize = 24
    static let recordSize = 24
    private static let blockSize = 1 << 18

    private let fd: Int32
    private let buffer: UnsafeMutableRawPointer
    private var start = 0
    private var end = 0
    private var atEOF = false
    /// Called with every block as it is read (the first pass hashes the file this way).
    private let onBlock: ((UnsafeRawBufferPointer) throws -> Void)?

    /// Opens `path` and checks its header; nil when the file is not a regular file in the common
    /// native form.
    init?(path: String, onBlock: ((UnsafeRawBufferPointer) throws -> Void)? = nil) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            return nil
        }
        self.fd = fd
        self.onBlock = onBlock
        buffer = .allocate(byteCount: Self.blockSize, alignment: 16)
        try fill()
        guard end - start >= Self.headerSize else { return nil }
        let h = UnsafeRawPointer(buffer)
        let magic = h.loadUnaligned(as: UInt32.self)
        let major = h.loadUnaligned(fromByteOffset: 4, as: UInt16.self)
        let minor = h.loadUnaligned(fromByteOffset: 6, as: UInt16.self)
        let snaplen = h.loadUnaligned(fromByteOffset: 16, as: UInt32.self)
        let linkType = h.loadUnaligned(fromByteOffset: 20, as: UInt32.self)
        guard UInt32(littleEndian: magic) == 0xA1B2_3C4D, UInt16(littleEndian: major) == 2,
              UInt16(littleEndian: minor) == 4, UInt32(littleEndian: snaplen) >= 8,
              UInt32(littleEndian: linkType) == UInt32(TraceFormat.nativeLinkType) else { return nil }
        start = Self.headerSize
    }

    deinit {
        close(fd)
        buffer.deallocate()
    }

    /// Moves the unread bytes to the front and reads more behind them.
    private func fill() throws {
        if start > 0 {
            if end > start { buffer.copyMemory(from: buffer + start, byteCount: end - start) }
            end -= start
            start = 0
        }
        while end < Self.blockSize && !atEOF {
            let n = read(fd, buffer + end, Self.blockSize - end)
            if n < 0 {
                if errno == EINTR { continue }
                throw TraceError(.io, file: "", "read error: \(String(cString: strerror(errno)))")
            }
            if n == 0 { atEOF = true; break }
            try onBlock?(UnsafeRawBufferPointer(start: buffer + end, count: n))
            end += n
        }
    }

    /// The whole records read next, in file order, as one run in the buffer (valid until the
    /// next call): a caller decodes them with `record(at:)` without coming back here per record.
    /// `.end` at the end of the file, `.irregular` when it ends inside a record.
    func nextRecords() throws -> Records {
        // Every earlier run was consumed whole: what is left is less than a record.
        if !atEOF { try fill() }
        let count = (end - start) / Self.recordSize
        guard count > 0 else { return end == start ? .end : .irregular }
        let run = UnsafeRawPointer(buffer + start)
        start += count * Self.recordSize
        return .run(run, count: count)
    }

    /// Before the first `nextRecords`: the time of the file's first record (already read with
    /// the header), 0 for a file of no records (the origin a first pass finds for either);
    /// nil when the first record is not whole and in the common form.
    func firstRecordTime() -> UInt64? {
        if end - start < Self.recordSize { return end == start && atEOF ? 0 : nil }
        return Self.record(at: buffer + start)?.time
    }

    /// Decodes the record at `p` (`recordSize` bytes); nil when it is not in the common form.
    @inline(__always)
    static func record(at p: UnsafeRawPointer) -> TraceEvent? {
        let seconds = UInt32(littleEndian: p.loadUnaligned(as: UInt32.self))
        let nanos = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        let captured = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        let length = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
        let source = UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 16, as: UInt16.self))
        let kindByte = p.load(fromByteOffset: 18, as: UInt8.self)
        let pad = p.load(fromByteOffset: 19, as: UInt8.self)
        let count = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 20, as: UInt32.self))
        guard captured == 8, length == 8, nanos < 1_000_000_000, pad == 0, count != 0,
              source >= 1 && source <= 1023, let kind = RequestKind(rawValue: kindByte) else { return nil }
        return TraceEvent(time: UInt64(seconds) &* 1_000_000_000 &+ UInt64(nanos), source: source,
                          kind: kind, count: count)
    }

    /// Calls `body` with every record in file order until it returns false. False when some
    /// record is not in the common form or the file ends inside one (the file is irregular).
    func forEachRecord(_ body: (TraceEvent) -> Bool) throws -> Bool {
        while true {
            switch try nextRecords() {
            case .run(let run, let count):
                for i in 0..<count {
                    guard let e = Self.record(at: run + i * Self.recordSize) else { return false }
                    if !body(e) { return true }
                }
            case .end: return true
            case .irregular: return false
            }
        }
    }
}
