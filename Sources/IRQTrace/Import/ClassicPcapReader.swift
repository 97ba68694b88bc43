import CPcap

/// Classic pcap (µs or ns magic, either byte order) read through libpcap, opened at nanosecond
/// precision so ns files keep their digits and µs files are scaled exactly.
/// Every packet is one level request, count 1, on `options.nicSource`, whatever the link type
/// (the opener sends LINKTYPE_USER0 files to the native reader before this one).
public final class ClassicPcapReader: TraceRecordReader {
    public private(set) var truncated = false
    public private(set) var notes: [String] = []
    public let linkType: Int32

    private let path: String
    private var handle: OpaquePointer?
    private let nicSource: UInt16
    private var recordIndex = 0

    public init(path: String, options: ImportOptions = ImportOptions()) throws(ImportError) {
        self.path = path
        self.nicSource = options.nicSource
        var errbuf = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        guard let h = pcap_open_offline_with_tstamp_precision(path, UInt32(PCAP_TSTAMP_PRECISION_NANO), &errbuf) else {
            let reason = errbuf.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw ImportError(file: path, .header, Self.explain(path: path, libpcap: reason), kind: .unsupported)
        }
        handle = h
        linkType = pcap_datalink(h)
        let swapped = pcap_is_swapped(h) == 1
        notes.append("pcap: link type \(linkType), version \(pcap_major_version(h)).\(pcap_minor_version(h))"
            + (swapped ? ", byte order opposite to this machine's" : ""))
    }

    deinit { if let h = handle { pcap_close(h) } }

    /// libpcap's open errors are terse ("archaic pcap savefile format"); add what the header says.
    static func explain(path: String, libpcap reason: String) -> String {
        guard let file = try? MappedFile(path: path), file.bytes.count >= 8 else {
            return "libpcap cannot open it: \(reason)"
        }
        let magic = file.bytes.loadUnaligned(as: UInt32.self)
        let known: [UInt32] = [0xA1B2_C3D4, 0xA1B2_3C4D, 0xA1B2_CD34]
        let swapped = !known.contains(magic)
        let raw = file.bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        let v = swapped ? raw.byteSwapped : raw
        let major = v & 0xffff, minor = v >> 16
        return "unsupported pcap header version \(major).\(minor), libpcap: \(reason)"
    }

    public func nextRecord() throws -> TraceEvent? {
        guard let h = handle else { return nil }
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        let rc = pcap_next_ex(h, &header, &data)
        if rc == 1, let hdr = header {
            var sec = hdr.pointee.ts.tv_sec
            let ns = hdr.pointee.ts.tv_usec
            recordIndex += 1
            // The file's seconds field is unsigned 32-bit (good until 2106), but libpcap 1.10
            // sign-extends it for files in host byte order (and not for swapped ones): undo that
            // so a 2038+ time is not read as 1901.
            if sec < 0 && sec >= -(1 << 31) { sec += 1 << 32 }
            // Checked anyway for a libpcap that hands back something else.
            guard sec >= 0, ns >= 0,
                  case let (t, o1) = UInt64(sec).multipliedReportingOverflow(by: 1_000_000_000), !o1,
                  case let (time, o2) = t.addingReportingOverflow(UInt64(ns)), !o2 else {
                throw ImportError(file: path, .record(index: recordIndex, byteOffset: nil),
                                  "impossible timestamp \(sec) s + \(ns) ns")
            }
            return TraceEvent(time: time, source: nicSource, kind: .level, count: 1)
        }
        if rc == PCAP_ERROR_BREAK { close(); return nil }
        let reason = String(cString: pcap_geterr(h))
        close()
        // libpcap reports a file that ends inside a record header or its data this way; there is
        // no error code to tell it from other failures.
        if reason.hasPrefix("truncated dump file") {
            truncated = true
            notes.append("pcap: file ends inside record \(recordIndex + 1) (\(reason)); the \(recordIndex) complete record(s) were kept")
            return nil
        }
        throw ImportError(file: path, .record(index: recordIndex + 1, byteOffset: nil), reason)
    }

    private func close() {
        if let h = handle { pcap_close(h) }
        handle = nil
    }
}
