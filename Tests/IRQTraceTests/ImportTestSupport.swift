import IRQTrace
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Helpers shared by the Import*Tests files: fixture paths, scratch files, byte builders.
enum ImportFixtures {
    /// Tests/IRQTraceTests/Fixtures/real, found from this source file (no Foundation needed).
    static let realDirectory: String = {
        let me = "\(#filePath)"
        return String(me[...me.lastIndex(of: "/")!]) + "Fixtures/real/"
    }()

    static func real(_ name: String) -> String { realDirectory + name }

    static func bytes(_ path: String) -> [UInt8] {
        let f = fopen(path, "rb")!
        defer { fclose(f) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = fread(&chunk, 1, chunk.count, f)
            if n == 0 { break }
            out += chunk[..<n]
        }
        return out
    }

    /// Writes `bytes` to a fresh file under /tmp and returns its path.
    static func scratch(_ bytes: [UInt8], name: String = "trace") -> String {
        var template = Array("/tmp/irqbench-import-XXXXXX".utf8CString)
        let dir = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        let path = dir + "/" + name
        let f = fopen(path, "wb")!
        _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, f) }
        fclose(f)
        return path
    }

    static func scratch(text: String, name: String = "trace.txt") -> String {
        scratch(Array(text.utf8), name: name)
    }

    static func readAll(_ reader: any TraceRecordReader) throws -> [TraceEvent] {
        var out: [TraceEvent] = []
        while let e = try reader.nextRecord() { out.append(e) }
        return out
    }

    static func importAll(_ path: String, _ options: ImportOptions = ImportOptions()) throws -> (events: [TraceEvent], reader: any TraceRecordReader) {
        let r = try RecordingImport.open(path: path, options: options)
        return (try readAll(r), r)
    }

    /// The one-line description of the ImportError `body` throws ("" if it throws none).
    static func errorLine(_ body: () throws -> Void) -> String {
        do { try body() } catch let e as ImportError { return e.description } catch { return "not an ImportError: \(error)" }
        return ""
    }
}

/// Little builder for pcapng files in either byte order.
struct PcapngBuilder {
    var bigEndian = false
    var bytes: [UInt8] = []

    mutating func u16(_ v: UInt16, into b: inout [UInt8]) {
        let x = bigEndian ? v.bigEndian : v.littleEndian
        withUnsafeBytes(of: x) { b += $0 }
    }
    mutating func u32(_ v: UInt32, into b: inout [UInt8]) {
        let x = bigEndian ? v.bigEndian : v.littleEndian
        withUnsafeBytes(of: x) { b += $0 }
    }
    mutating func u64(_ v: UInt64, into b: inout [UInt8]) {
        let x = bigEndian ? v.bigEndian : v.littleEndian
        withUnsafeBytes(of: x) { b += $0 }
    }

    mutating func block(_ type: UInt32, _ body: [UInt8]) {
        var padded = body
        while padded.count % 4 != 0 { padded.append(0) }
        var b: [UInt8] = []
        u32(type, into: &b)
        u32(UInt32(padded.count + 12), into: &b)
        b += padded
        u32(UInt32(padded.count + 12), into: &b)
        bytes += b
    }

    mutating func option(_ code: UInt16, _ value: [UInt8], into b: inout [UInt8]) {
        u16(code, into: &b)
        u16(UInt16(value.count), into: &b)
        b += value
        while b.count % 4 != 0 { b.append(0) }
    }

    mutating func section(bigEndian: Bool, major: UInt16 = 1) {
        self.bigEndian = bigEndian
        var body: [UInt8] = []
        u32(0x1A2B_3C4D, into: &body)
        u16(major, into: &body)
        u16(0, into: &body)
        u64(UInt64.max, into: &body)
        block(0x0A0D_0D0A, body)
    }

    mutating func interface(linkType: UInt16, tsresol: UInt8? = nil, tsoffset: Int64? = nil) {
        var body: [UInt8] = []
        u16(linkType, into: &body)
        u16(0, into: &body)
        u32(0, into: &body)
        if let r = tsresol { option(9, [r], into: &body) }
        if let o = tsoffset {
            var v: [UInt8] = []
            u64(UInt64(bitPattern: o), into: &v)
            option(14, v, into: &body)
        }
        if tsresol != nil || tsoffset != nil { option(0, [], into: &body) }
        block(1, body)
    }

    mutating func enhanced(interface: UInt32, units: UInt64, data: [UInt8] = [1, 2, 3, 4, 5]) {
        var body: [UInt8] = []
        u32(interface, into: &body)
        u32(UInt32(units >> 32), into: &body)
        u32(UInt32(units & 0xffff_ffff), into: &body)
        u32(UInt32(data.count), into: &body)
        u32(UInt32(data.count), into: &body)
        body += data
        block(6, body)
    }

    mutating func obsoletePacket(interface: UInt16, units: UInt64) {
        var body: [UInt8] = []
        u16(interface, into: &body)
        u16(0, into: &body)
        u32(UInt32(units >> 32), into: &body)
        u32(UInt32(units & 0xffff_ffff), into: &body)
        u32(2, into: &body)
        u32(2, into: &body)
        body += [9, 9]
        block(2, body)
    }

    mutating func simple(data: [UInt8] = [7, 7, 7]) {
        var body: [UInt8] = []
        u32(UInt32(data.count), into: &body)
        body += data
        block(3, body)
    }
}

/// Classic pcap writer: µs or ns magic, either byte order.
struct ClassicPcapBuilder {
    var bigEndian: Bool
    var nanosecond: Bool
    var bytes: [UInt8] = []

    init(bigEndian: Bool, nanosecond: Bool, linkType: UInt32 = 1) {
        self.bigEndian = bigEndian
        self.nanosecond = nanosecond
        put32(nanosecond ? 0xA1B2_3C4D : 0xA1B2_C3D4)
        put16(2); put16(4); put32(0); put32(0); put32(65535); put32(linkType)
    }

    mutating func put16(_ v: UInt16) { withUnsafeBytes(of: bigEndian ? v.bigEndian : v.littleEndian) { bytes += $0 } }
    mutating func put32(_ v: UInt32) { withUnsafeBytes(of: bigEndian ? v.bigEndian : v.littleEndian) { bytes += $0 } }

    mutating func packet(seconds: UInt32, fraction: UInt32, length: UInt32 = 4, claimedLength: UInt32? = nil) {
        put32(seconds); put32(fraction); put32(claimedLength ?? length); put32(length)
        bytes += [UInt8](repeating: 0xAB, count: Int(length))
    }
}
