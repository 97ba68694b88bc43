import CPcap
// timeval's fields (the records' timestamps) belong to the C library's module.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Timestamp resolution requested from libpcap (`PCAP_TSTAMP_PRECISION_*`).
public enum PcapTimestampPrecision: UInt32, Sendable {
    case microseconds = 0  // PCAP_TSTAMP_PRECISION_MICRO
    case nanoseconds = 1   // PCAP_TSTAMP_PRECISION_NANO
}

/// One record handed out by `PcapHandle.nextPacket()`. `bytes` points into libpcap's own
/// buffer: it is valid only until the next call on the same handle (that is what lets the
/// read loop run without allocating).
public struct PcapPacket {
    /// `ts.tv_sec` as libpcap gives it. The savefile stores it as a 32-bit field that libpcap
    /// sign-extends, so readers wanting the full unsigned range reinterpret it as `UInt32`.
    public var seconds: Int
    /// `ts.tv_usec`: nanoseconds when the handle was opened with `.nanoseconds`.
    public var fraction: Int
    /// `caplen`: bytes present in `bytes`.
    public var capturedLength: UInt32
    /// `len`: the original length on the wire.
    public var originalLength: UInt32
    public var bytes: UnsafeRawBufferPointer

    @inlinable
    public init(seconds: Int, fraction: Int, capturedLength: UInt32, originalLength: UInt32,
                bytes: UnsafeRawBufferPointer) {
        self.seconds = seconds
        self.fraction = fraction
        self.capturedLength = capturedLength
        self.originalLength = originalLength
        self.bytes = bytes
    }
}

/// Owns one `pcap_t*` (a savefile being read, or a "dead" handle used to write one) and closes
/// it with `pcap_close` on deinit. A final class rather than a noncopyable struct so that
/// readers and dumpers can share it without lifetime puzzles.
public final class PcapHandle {
    @usableFromInline let raw: OpaquePointer

    private init(raw: OpaquePointer) { self.raw = raw }

    deinit { pcap_close(raw) }

    /// `pcap_open_offline_with_tstamp_precision`: opens a pcap or pcapng savefile.
    /// With `.nanoseconds`, microsecond files are scaled up and nanosecond files are kept as is
    /// (plain `pcap_open_offline` would truncate nanoseconds to microseconds).
    public static func openOffline(
        path: String, precision: PcapTimestampPrecision = .nanoseconds
    ) throws(PcapError) -> PcapHandle {
        var message = ""
        let handle: OpaquePointer? = withUnsafeTemporaryAllocation(
            of: CChar.self, capacity: Int(PCAP_ERRBUF_SIZE)
        ) { errbuf in
            errbuf[0] = 0
            let p = pcap_open_offline_with_tstamp_precision(path, precision.rawValue, errbuf.baseAddress)
            if p == nil { message = String(cString: errbuf.baseAddress!) }
            return p
        }
        guard let handle else {
            throw PcapError(function: "pcap_open_offline_with_tstamp_precision", message: message)
        }
        return PcapHandle(raw: handle)
    }

    /// `pcap_open_dead_with_tstamp_precision`: a handle with no capture behind it, used to
    /// give `pcap_dump_open` the link type, snapshot length and timestamp precision to write.
    public static func openDead(
        linkType: Int32, snapshotLength: Int32, precision: PcapTimestampPrecision = .nanoseconds
    ) throws(PcapError) -> PcapHandle {
        guard let handle = pcap_open_dead_with_tstamp_precision(linkType, snapshotLength, precision.rawValue) else {
            throw PcapError(
                function: "pcap_open_dead_with_tstamp_precision",
                message: "cannot create a handle for link type \(linkType)")
        }
        return PcapHandle(raw: handle)
    }

    /// `pcap_datalink`: the savefile's link type (LINKTYPE_* value).
    public var linkType: Int32 { pcap_datalink(raw) }

    /// `pcap_snapshot`: the savefile's snapshot length.
    public var snapshotLength: Int32 { pcap_snapshot(raw) }

    /// `pcap_is_swapped`: true when the file was written on a machine of the other byte order.
    public var isSwapped: Bool { pcap_is_swapped(raw) == 1 }

    /// `pcap_get_tstamp_precision`: the precision timestamps are delivered in.
    public var timestampPrecision: PcapTimestampPrecision {
        PcapTimestampPrecision(rawValue: UInt32(pcap_get_tstamp_precision(raw))) ?? .microseconds
    }

    /// `pcap_geterr`: the last error message of this handle.
    public var lastError: String { String(cString: pcap_geterr(raw)) }

    /// `pcap_next_ex`: the next record, or nil at the end of the file. The packet's bytes are
    /// valid until the next call. A file ending inside a record throws a `PcapError` whose
    /// `isTruncatedFile` is true.
    @inlinable
    public func nextPacket() throws(PcapError) -> PcapPacket? {
        var header: UnsafeMutablePointer<pcap_pkthdr>? = nil
        var data: UnsafePointer<UInt8>? = nil
        let rc = pcap_next_ex(raw, &header, &data)
        if rc == 1, let header {
            let h = header.pointee
            return PcapPacket(
                seconds: Int(h.ts.tv_sec), fraction: Int(h.ts.tv_usec),
                capturedLength: h.caplen, originalLength: h.len,
                bytes: UnsafeRawBufferPointer(start: data, count: Int(h.caplen)))
        }
        if rc == PCAP_ERROR_BREAK { return nil }  // end of savefile
        throw PcapError(function: "pcap_next_ex", message: lastError, code: rc)
    }
}
