import CPcap
// timeval's fields (the records' timestamps) belong to the C library's module.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Owns one `pcap_dumper_t*`: a savefile being written. Call `close()` to learn about write
/// errors; deinit closes silently as a last resort.
public final class PcapDumper {
    private var raw: OpaquePointer?
    private let handle: PcapHandle  // libpcap's dumper refers to the handle's settings

    /// `pcap_dump_open`: creates (or truncates) `path` and writes the savefile header for
    /// `handle`'s link type, snapshot length and timestamp precision.
    public init(handle: PcapHandle, path: String) throws(PcapError) {
        guard let d = pcap_dump_open(handle.raw, path) else {
            throw PcapError(function: "pcap_dump_open", message: handle.lastError)
        }
        self.raw = d
        self.handle = handle
    }

    deinit { if let raw { pcap_dump_close(raw) } }

    /// `pcap_dump`: appends one record. `fraction` is ns for a nanosecond handle. libpcap buffers
    /// writes and reports no error here: `flush()` / `close()` do.
    @inlinable
    public func dump(seconds: Int, fraction: Int, bytes: UnsafeRawBufferPointer) {
        var header = pcap_pkthdr()
        header.ts.tv_sec = seconds
        header.ts.tv_usec = fraction
        header.caplen = UInt32(bytes.count)
        header.len = UInt32(bytes.count)
        pcap_dump(UnsafeMutableRawPointer(rawDumper).assumingMemoryBound(to: UInt8.self),
                  &header, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self))
    }

    @usableFromInline var rawDumper: OpaquePointer {
        guard let raw else { preconditionFailure("PcapDumper used after close()") }
        return raw
    }

    /// `pcap_dump_flush`: pushes buffered records to the file.
    public func flush() throws(PcapError) {
        if pcap_dump_flush(rawDumper) != 0 {
            throw PcapError(function: "pcap_dump_flush", message: "write failed (disk full or I/O error)")
        }
    }

    /// `pcap_dump_flush` then `pcap_dump_close`. The close itself reports nothing, so the flush
    /// is what tells a complete file from a short one.
    public func close() throws(PcapError) {
        guard let raw else { return }
        defer { pcap_dump_close(raw); self.raw = nil }
        if pcap_dump_flush(raw) != 0 {
            throw PcapError(function: "pcap_dump_flush", message: "write failed (disk full or I/O error)")
        }
    }
}
