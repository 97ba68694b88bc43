import Foundation
import Testing
@testable import IRQTrace

@Suite struct NativeFormatTests {
    @Test func roundTripKeepsEveryFieldAndOrder() throws {
        let dir = try TempDir()
        let events = [
            level(5, 1, count: 1),
            TraceEvent(time: 3, source: 1023, kind: .edge, count: UInt32.max),  // order kept as given
            level(2_500_000_000_000_000_000, 7, count: 2),  // seconds past 2^31: sign-extension trap
            level(TraceEvent.maxTime, 1),
        ]
        let p = dir.file("t.pcap")
        try writeNative(events, to: p)
        #expect(try readAll(NativeTraceReader(path: p)) == events)
        // Header: nanosecond magic (little-endian on disk) and LINKTYPE_USER0.
        let bytes = try dir.read("t.pcap")
        #expect(Array(bytes[0..<4]) == [0x4D, 0x3C, 0xB2, 0xA1])
        #expect(Array(bytes[20..<24]) == [147, 0, 0, 0])
        #expect(bytes.count == 24 + events.count * (16 + 8))
    }

    @Test func writerRefusesRecordsTheReaderWouldRefuse() throws {
        let dir = try TempDir()
        let w = try NativeTraceWriter(path: dir.file("w.pcap"))
        try w.write(level(1))
        let e = traceError { try w.write(level(2, 0)) }
        #expect(e?.description == "\(dir.file("w.pcap")): record 2: source 0 is outside 1...1023")
        #expect(traceError { try w.write(level(TraceEvent.maxTime + 1)) }?.reason.contains("beyond") == true)
    }

    /// Every payload rule of docs/traces.md, each in record 2 of an otherwise good file.
    @Test(arguments: [
        (PcapBytes.payload(source: 1, kind: 0), "kind 0 is not 1 (level) or 2 (edge)"),
        (PcapBytes.payload(source: 1, kind: 3), "kind 3 is not 1 (level) or 2 (edge)"),
        (PcapBytes.payload(source: 0), "source 0 is outside 1...1023"),
        (PcapBytes.payload(source: 1024), "source 1024 is outside 1...1023"),
        (PcapBytes.payload(source: 1, count: 0), "count is 0 (must be at least 1)"),
        (Array(PcapBytes.payload(source: 1).prefix(6)), "payload is 6 bytes, expected 8"),
        (PcapBytes.payload(source: 1) + [0], "payload is 9 bytes, expected 8"),
        (PcapBytes.payload(source: 1, reserved: 9), "reserved byte is 9, must be 0"),
    ])
    func badPayloadNamesFileAndRecord(payload: [UInt8], reason: String) throws {
        let dir = try TempDir()
        var pcap = PcapBytes()
        pcap.record(time: 10, source: 1)
        pcap.record(nanos: 20, payload: payload)
        pcap.record(time: 30, source: 1)
        let p = try dir.write("bad.pcap", bytes: pcap.bytes)
        let reader = try NativeTraceReader(path: p)
        #expect(try reader.nextRecord() == level(10))
        let e = traceError { _ = try reader.nextRecord() }
        #expect(e?.kind == .malformed)
        #expect(e?.description.hasPrefix("\(p): record 2: \(reason)") == true, "\(String(describing: e))")
        // The same error through TraceInput.
        #expect(traceError { _ = try TraceInput.open(path: p) }?.description.hasPrefix("\(p): record 2: ") == true)
    }

    @Test func otherLinkTypeIsNotNativeAndMicrosecondMagicIsRefused() throws {
        let dir = try TempDir()
        var eth = PcapBytes(linkType: 1)
        eth.record(nanos: 1, payload: [1, 2, 3])
        let p = try dir.write("eth.pcap", bytes: eth.bytes)
        #expect(try TraceFormat.detect(path: p).format == .networkCapture)
        let e = traceError { _ = try NativeTraceReader(path: p) }
        #expect(e?.description == "\(p): link type 1, expected 147 (LINKTYPE_USER0) for a native trace")

        var micro = PcapBytes(micro: true)
        micro.record(time: 1000, source: 1)
        let m = try dir.write("micro.pcap", bytes: micro.bytes)
        #expect(try TraceFormat.detect(path: m).format == .native)
        #expect(traceError { _ = try TraceInput.open(path: m) }?.kind == .unsupported)
    }

    @Test func nanosecondFieldOutOfRangeIsAnError() throws {
        let dir = try TempDir()
        var pcap = PcapBytes()
        pcap.record(seconds: 1, nanos: 1_000_000_000, payload: PcapBytes.payload(source: 1))
        let p = try dir.write("ns.pcap", bytes: pcap.bytes)
        let e = traceError { _ = try readAll(NativeTraceReader(path: p)) }
        #expect(e?.description == "\(p): record 1: nanosecond field 1000000000 is outside 0...999999999")
    }

    /// A file cut inside its last record's header, or inside its payload.
    @Test(arguments: [5, 20])
    func truncatedFileReplaysCompleteRecords(cutInto lastRecordBytes: Int) throws {
        let dir = try TempDir()
        var pcap = PcapBytes()
        for t in [100, 200, 300] as [UInt64] { pcap.record(time: t, source: 1) }
        let full = pcap.bytes
        let p = try dir.write("cut.pcap", bytes: Array(full.prefix(full.count - 24 + lastRecordBytes)))

        let input = try TraceInput.open(path: p)
        #expect(input.report.truncated)
        #expect(input.report.recordCount == 2)
        #expect(try readAll(input) == [level(0), level(100)])

        let strict = traceError { _ = try TraceInput.open(path: p, options: TraceOptions(strict: true)) }
        #expect(strict?.kind == .truncated)
        #expect(strict?.description.hasPrefix("\(p): record 3: the file ends inside this record") == true)
    }

    @Test func impossibleRecordLengthInTheMiddleIsAnError() throws {
        let dir = try TempDir()
        var pcap = PcapBytes()
        pcap.record(time: 1, source: 1)
        // caplen 0x7fffffff: libpcap refuses it as bigger than any snapshot length.
        pcap.bytes += [0, 0, 0, 0, 2, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0x7F]
        pcap.bytes += [UInt8](repeating: 0, count: 64)
        let p = try dir.write("len.pcap", bytes: pcap.bytes)
        let e = traceError { _ = try TraceInput.open(path: p) }
        #expect(e?.kind == .malformed)
        #expect(e?.description.hasPrefix("\(p): record 2: ") == true, "\(String(describing: e))")
    }

    @Test func emptyNativeFileIsZeroEvents() throws {
        let dir = try TempDir()
        let p = dir.file("empty.pcap")
        try writeNative([], to: p)
        let input = try TraceInput.open(path: p)
        #expect(input.report.recordCount == 0)
        #expect(try input.next() == nil)
    }
}
