/// Reads pcapng block by block itself rather than through libpcap, because libpcap refuses a
/// file whose interfaces have different link types (common for captures on "any" or several
/// NICs), and irqbench only needs each packet's time, not its bytes.
///
/// Every packet (Enhanced, obsolete Packet, or Simple Packet Block) is one level request, count
/// 1, on `options.nicSource`. Unknown blocks are skipped. A new Section Header Block starts a new
/// interface list and may switch byte order.
///
/// Simple Packet Blocks carry no timestamp: one takes the time of the packet before it in file
/// order; ones before the first timestamped packet take that packet's time; a file of Simple
/// Packet Blocks only replays them all at time 0.
public final class PcapngReader: TraceRecordReader {
    public private(set) var truncated = false
    public var notes: [String] { summaryNotes() }

    private let path: String
    private let file: MappedFile
    private let nicSource: UInt16
    private var pos = 0
    private var blockIndex = 0
    private var recordIndex = 0
    private var bigEndian = false
    private var sectionIndex = -1
    private var interfaces: [Interface] = []
    private var allInterfaces: [(section: Int, iface: Interface)] = []
    private var lastTime: UInt64?
    private var pendingSimple = 0
    private var simpleCount = 0
    private var skippedBlocks = 0
    private var finished = false

    struct Interface {
        var linkType: UInt16
        var snapLength: UInt32
        var resolution = TimestampResolution.microseconds
        var offsetSeconds: Int64 = 0
        var packets = 0
    }

    static let sectionHeaderType: UInt32 = 0x0A0D_0D0A
    static let byteOrderMagic: UInt32 = 0x1A2B_3C4D
    /// Larger blocks are taken as corrupt lengths rather than as a capture cut short.
    static let maxBlockLength = 256 << 20

    public init(path: String, options: ImportOptions = ImportOptions()) throws(ImportError) {
        self.path = path
        self.file = try MappedFile(path: path)
        self.nicSource = options.nicSource
        let b = file.bytes
        guard b.count >= 4, b.loadUnaligned(as: UInt32.self) == Self.sectionHeaderType else {
            throw ImportError(file: path, .header, "not a pcapng file (no section header block magic 0a 0d 0d 0a)")
        }
        guard b.count >= 28 else {
            throw ImportError(file: path, .header, "file too short (\(b.count) bytes) for a pcapng section header block")
        }
    }

    public func nextRecord() throws -> TraceEvent? {
        if pendingSimple > 0, let t = lastTime {
            pendingSimple -= 1
            return event(t)
        }
        while !finished {
            if let e = try nextBlock() { return e }
        }
        if pendingSimple > 0 {
            pendingSimple -= 1
            return event(0)
        }
        return nil
    }

    @inline(__always)
    private func event(_ t: UInt64) -> TraceEvent {
        TraceEvent(time: t, source: nicSource, kind: .level, count: 1)
    }

    @inline(__always)
    private func u32(_ offset: Int) -> UInt32 {
        let v = file.bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        return bigEndian ? UInt32(bigEndian: v) : UInt32(littleEndian: v)
    }

    @inline(__always)
    private func u16(_ offset: Int) -> UInt16 {
        let v = file.bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self)
        return bigEndian ? UInt16(bigEndian: v) : UInt16(littleEndian: v)
    }

    private func fail(_ message: String) -> ImportError {
        ImportError(file: path, .block(index: blockIndex + 1, byteOffset: UInt64(pos)), message)
    }

    private func failRecord(_ message: String) -> ImportError {
        ImportError(file: path, .record(index: recordIndex + 1, byteOffset: UInt64(pos)), message)
    }

    /// Parses one block; returns the event of a packet block that has its time, else nil.
    private func nextBlock() throws(ImportError) -> TraceEvent? {
        let remaining = file.bytes.count - pos
        if remaining == 0 { finished = true; return nil }
        if remaining < 12 {
            // Not even a block header and total length: the capture stopped mid-write.
            truncated = true; finished = true; return nil
        }
        let type = file.bytes.loadUnaligned(fromByteOffset: pos, as: UInt32.self)
        if type == Self.sectionHeaderType {
            // The section's byte order comes from its own magic (the type reads the same in both).
            let bom = file.bytes.loadUnaligned(fromByteOffset: pos + 8, as: UInt32.self)
            if bom == Self.byteOrderMagic {
                bigEndian = false
            } else if bom == Self.byteOrderMagic.byteSwapped {
                bigEndian = true
            } else {
                throw fail("section header has no valid byte-order magic (found 0x\(String(bom, radix: 16)))")
            }
        }
        let typeValue = u32(pos)
        let length = Int(u32(pos + 4))
        guard length >= 12, length % 4 == 0 else {
            throw fail("impossible block total length \(length) (must be a multiple of 4, at least 12)")
        }
        if length > remaining {
            if length > Self.maxBlockLength {
                throw fail("impossible block total length \(length) (over \(Self.maxBlockLength) bytes)")
            }
            truncated = true; finished = true; return nil
        }
        let trailer = Int(u32(pos + length - 4))
        guard trailer == length else {
            throw fail("block total length in header (\(length)) and trailer (\(trailer)) don't match")
        }
        let body = pos + 8
        let bodyEnd = pos + length - 4
        var result: TraceEvent?
        switch typeValue {
        case Self.sectionHeaderType:
            try sectionHeader(body: body, end: bodyEnd)
        case 1:
            try interfaceDescription(body: body, end: bodyEnd)
        case 6:
            guard bodyEnd - body >= 20 else { throw fail("enhanced packet block too short (\(length) bytes)") }
            result = try timedPacket(interface: Int(u32(body)), high: u32(body + 4), low: u32(body + 8),
                                     captured: u32(body + 12), dataStart: body + 20, end: bodyEnd)
        case 2:
            guard bodyEnd - body >= 20 else { throw fail("packet block too short (\(length) bytes)") }
            result = try timedPacket(interface: Int(u16(body)), high: u32(body + 4), low: u32(body + 8),
                                     captured: u32(body + 12), dataStart: body + 20, end: bodyEnd)
        case 3:
            try simplePacket(body: body, end: bodyEnd)
            if let t = lastTime { result = event(t) } else { pendingSimple += 1 }
        default:
            skippedBlocks += 1
        }
        pos += length
        blockIndex += 1
        return result
    }

    private func sectionHeader(body: Int, end: Int) throws(ImportError) {
        guard end - body >= 16 else { throw fail("section header block too short") }
        let major = u16(body + 4), minor = u16(body + 6)
        guard major == 1, minor == 0 || minor == 2 else {
            throw ImportError(file: path, .block(index: blockIndex + 1, byteOffset: UInt64(pos)), "unsupported pcapng version \(major).\(minor) (1.0 and 1.2 are supported)", kind: .unsupported)
        }
        try checkOptions(from: body + 16, end: end)
        for i in interfaces { allInterfaces.append((sectionIndex, i)) }
        sectionIndex += 1
        interfaces.removeAll()
    }

    private func interfaceDescription(body: Int, end: Int) throws(ImportError) {
        guard sectionIndex >= 0 else { throw fail("interface description before any section header") }
        guard end - body >= 8 else { throw fail("interface description block too short") }
        var iface = Interface(linkType: u16(body), snapLength: u32(body + 4))
        try checkOptions(from: body + 8, end: end) { code, value, len throws(ImportError) in
            switch code {
            case 9:
                guard len == 1 else { throw self.fail("if_tsresol option has length \(len), not 1") }
                iface.resolution = TimestampResolution(optionByte: self.file.bytes[value])
            case 14:
                guard len == 8 else { throw self.fail("if_tsoffset option has length \(len), not 8") }
                let raw = UInt64(self.u32(value)) , raw2 = UInt64(self.u32(value + 4))
                // A 64-bit option value is stored as one integer in the section's byte order.
                let bits = self.bigEndian ? (raw << 32 | raw2) : (raw2 << 32 | raw)
                iface.offsetSeconds = Int64(bitPattern: bits)
            default: break
            }
        }
        interfaces.append(iface)
    }

    /// Walks an option list, checking that every option stays inside the block.
    private func checkOptions(from start: Int, end: Int,
                              _ visit: (UInt16, Int, Int) throws(ImportError) -> Void = { _, _, _ in }) throws(ImportError) {
        var p = start
        while p + 4 <= end {
            let code = u16(p), len = Int(u16(p + 2))
            if code == 0 { return }
            let padded = (len + 3) & ~3
            guard p + 4 + padded <= end else {
                throw fail("option \(code) of length \(len) at byte \(p) runs past the end of its block")
            }
            try visit(code, p + 4, len)
            p += 4 + padded
        }
    }

    private func timedPacket(interface id: Int, high: UInt32, low: UInt32, captured: UInt32,
                             dataStart: Int, end: Int) throws(ImportError) -> TraceEvent {
        guard id < interfaces.count else {
            throw failRecord("packet on interface \(id), but section \(sectionIndex) defines \(interfaces.count) interface(s)")
        }
        guard Int(captured) <= end - dataStart else {
            throw failRecord("captured length \(captured) runs past the end of its block (\(end - dataStart) bytes of data)")
        }
        let units = UInt64(high) << 32 | UInt64(low)
        let iface = interfaces[id]
        guard var t = iface.resolution.nanoseconds(units) else {
            throw failRecord("timestamp \(units) in units of \(iface.resolution) does not fit in 64-bit nanoseconds")
        }
        if iface.offsetSeconds != 0 {
            t = try applyOffset(t, iface.offsetSeconds)
        }
        interfaces[id].packets += 1
        recordIndex += 1
        lastTime = t
        return event(t)
    }

    private func applyOffset(_ t: UInt64, _ seconds: Int64) throws(ImportError) -> UInt64 {
        let (ns, o1) = seconds.magnitude.multipliedReportingOverflow(by: 1_000_000_000)
        if !o1 {
            if seconds >= 0 {
                let (r, o2) = t.addingReportingOverflow(ns)
                if !o2 { return r }
            } else if ns <= t {
                return t - ns
            }
        }
        throw failRecord("timestamp plus if_tsoffset \(seconds) s is outside 1970...2554")
    }

    private func simplePacket(body: Int, end: Int) throws(ImportError) {
        guard end - body >= 4 else { throw fail("simple packet block too short") }
        guard let iface = interfaces.first else {
            throw failRecord("simple packet block, but section \(sectionIndex) defines no interface")
        }
        let original = u32(body)
        let captured = iface.snapLength == 0 ? original : min(original, iface.snapLength)
        guard Int(captured) <= end - body - 4 else {
            throw failRecord("captured length \(captured) runs past the end of its block")
        }
        interfaces[0].packets += 1
        recordIndex += 1
        simpleCount += 1
    }

    /// Interfaces described one note each; the rest are summed in one line (a file of tiny
    /// interface blocks must not turn into millions of notes).
    static let maxInterfaceNotes = 16

    private func summaryNotes() -> [String] {
        var out: [String] = []
        var lastSection = -1, n = 0, listed = 0, unlisted = 0, unlistedPackets = 0
        for (section, i) in allInterfaces + interfaces.map({ (sectionIndex, $0) }) {
            n = section == lastSection ? n + 1 : 0
            lastSection = section
            guard listed < Self.maxInterfaceNotes else {
                unlisted += 1
                unlistedPackets += i.packets
                continue
            }
            listed += 1
            out.append("pcapng section \(section) interface \(n): link type \(i.linkType), timestamps in \(i.resolution)"
                + (i.offsetSeconds != 0 ? ", offset \(i.offsetSeconds) s" : "") + ", \(i.packets) packet(s)")
        }
        if unlisted > 0 {
            out.append("pcapng: \(unlisted) more interface(s) not listed, \(unlistedPackets) packet(s) on them")
        }
        if simpleCount > 0 {
            out.append("pcapng: \(simpleCount) simple packet block(s) have no timestamp: each took the previous packet's time")
        }
        if skippedBlocks > 0 { out.append("pcapng: skipped \(skippedBlocks) block(s) of other types") }
        if truncated { out.append("pcapng: file ends inside its last block; the complete packets before it were kept") }
        return out
    }
}
