/// Reads a native trace (docs/traces.md, "Native binary trace") record by record through libpcap,
/// without allocating per record.
///
/// Errors name the file and the 1-based record index. A file ending inside its last record
/// ends the stream with `truncated == true` (whether that is an error is `TraceInput`'s call,
/// under `TraceOptions.strict`).
public final class NativeTraceReader: TraceRecordReader {
    public let file: String
    private let handle: PcapHandle
    /// Records returned so far.
    public private(set) var recordsRead = 0
    public private(set) var truncated = false
    private var finished = false
    public var notes: [String] { [] }

    /// Opens `path` and checks its savefile header: nanosecond magic and LINKTYPE_USER0.
    public init(path: String) throws {
        file = path
        do {
            handle = try PcapHandle.openOffline(path: path, precision: .nanoseconds)
        } catch {
            throw TraceError(.malformed, file: path, "not a readable pcap file: \(error.message)")
        }
        guard handle.linkType == TraceFormat.nativeLinkType else {
            throw TraceError(.malformed, file: path,
                             "link type \(handle.linkType), expected \(TraceFormat.nativeLinkType) (LINKTYPE_USER0) for a native trace")
        }
        // libpcap scales microsecond files up to ns, so it cannot tell us what the file held:
        // look at the magic ourselves.
        let head = try TraceFormat.readHead(path: path, count: 4)
        let nanoMagic: [[UInt8]] = [[0xA1, 0xB2, 0x3C, 0x4D], [0x4D, 0x3C, 0xB2, 0xA1]]
        guard nanoMagic.contains(head) else {
            throw TraceError(.unsupported, file: path,
                             "pcap with microsecond timestamps; a native trace uses the nanosecond magic (a1b23c4d)")
        }
    }

    @inline(__always)
    public func nextRecord() throws -> TraceEvent? {
        if finished { return nil }
        let packet: PcapPacket?
        do {
            packet = try handle.nextPacket()
        } catch {
            finished = true
            if error.isTruncatedFile {
                truncated = true
                return nil
            }
            throw TraceError(.malformed, file: file, at: .record(recordsRead + 1), error.message)
        }
        guard let packet else {
            finished = true
            return nil
        }
        let index = recordsRead + 1
        // The savefile's seconds field is 32 bits that libpcap sign-extends: reinterpret it
        // as unsigned so times past 2038 survive.
        let seconds = UInt64(UInt32(truncatingIfNeeded: packet.seconds))
        guard packet.fraction >= 0 && packet.fraction < 1_000_000_000 else {
            throw TraceError(.malformed, file: file, at: .record(index),
                             "nanosecond field \(packet.fraction) is outside 0...999999999")
        }
        guard packet.originalLength == packet.capturedLength else {
            throw TraceError(.malformed, file: file, at: .record(index),
                             "payload cut to \(packet.capturedLength) of \(packet.originalLength) bytes")
        }
        let time = seconds &* 1_000_000_000 &+ UInt64(packet.fraction)  // < 2^63: cannot wrap
        let b = packet.bytes
        // The common case in straight-line code; the slow path says what is wrong.
        if b.count == NativeRecord.payloadSize {
            let source = UInt16(littleEndian: b.loadUnaligned(fromByteOffset: 0, as: UInt16.self))
            let count = UInt32(littleEndian: b.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
            if let kind = RequestKind(rawValue: b[2]), b[3] == 0, count != 0, source >= 1 && source <= 1023 {
                recordsRead = index
                return TraceEvent(time: time, source: source, kind: kind, count: count)
            }
        }
        finished = true
        switch NativeRecord.decode(b, time: time) {
        case .success(let event):
            preconditionFailure("fast path refused a valid record \(event)")
        case .failure(let problem):
            throw TraceError(.malformed, file: file, at: .record(index), problem.reason)
        }
    }
}
