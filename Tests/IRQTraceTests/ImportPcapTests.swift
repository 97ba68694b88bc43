import Testing
import IRQTrace

/// Classic pcap through libpcap: counts and exact times of the real fixtures, both magics and
/// byte orders, truncation, and the clear error lines.
@Suite struct ImportPcapTests {
    @Test func tcpdumpNanosecondHandshake() throws {
        let (events, reader) = try ImportFixtures.importAll(ImportFixtures.real("tcpdump_tcp-handshake-nano.pcap"))
        #expect(events.count == 3)
        #expect(events.first?.time == 1_418_145_369_924_505_488)
        #expect(events.last?.time == 1_418_145_370_052_115_157)
        #expect(events.allSatisfy { $0.source == 1 && $0.kind == .level && $0.count == 1 })
        #expect(!reader.truncated)
    }

    @Test func pcapplusplusBigEndianNanoseconds() throws {
        let (events, _) = try ImportFixtures.importAll(ImportFixtures.real("pcapplusplus_nanosecs_big_endian.pcap"))
        #expect(events.count == 10)
        #expect(events.first?.time == 1_766_361_926_167_647_291)
        #expect(events.last?.time == 1_766_361_926_168_451_894)
    }

    @Test func babelGarbageTimestamps1970To2038() throws {
        let (events, _) = try ImportFixtures.importAll(ImportFixtures.real("tcpdump_babel_update_oobr.pcap"))
        #expect(events.count == 107)
        #expect(events.map(\.time).min() == 0)
        #expect(events.map(\.time).max() == 2_145_916_800_000_000_000)
        let regressions = zip(events, events.dropFirst()).filter { $1.time < $0.time }.count
        #expect(regressions == 39)
    }

    @Test func nicSourceOption() throws {
        let (events, _) = try ImportFixtures.importAll(ImportFixtures.real("tcpdump_tcp-handshake-nano.pcap"), ImportOptions(nicSource: 42))
        #expect(events.map(\.source) == [42, 42, 42])
    }

    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func bothMagicsBothByteOrders(bigEndian: Bool, nanosecond: Bool) throws {
        var b = ClassicPcapBuilder(bigEndian: bigEndian, nanosecond: nanosecond)
        b.packet(seconds: 0, fraction: 0)
        // The last second a classic pcap can hold (2106): libpcap sign-extends it in host order.
        b.packet(seconds: 0xFFFF_FFFF, fraction: nanosecond ? 999_999_999 : 999_999)
        b.packet(seconds: 0xFFFF_FFFF, fraction: nanosecond ? 999_999_999 : 999_999)  // zero inter-arrival
        let (events, _) = try ImportFixtures.importAll(ImportFixtures.scratch(b.bytes))
        let last: UInt64 = nanosecond ? 4_294_967_295_999_999_999 : 4_294_967_295_999_999_000
        #expect(events.map(\.time) == [0, last, last])
    }

    @Test func cutInsideLastRecordKeepsCompleteOnes() throws {
        let whole = ImportFixtures.bytes(ImportFixtures.real("pcapplusplus_nanosecs_big_endian.pcap"))
        // Cut 10 bytes into the last record's data, then 5 bytes into its 16-byte header.
        for cut in [whole.count - 10, whole.count - 1] {
            let (events, reader) = try ImportFixtures.importAll(ImportFixtures.scratch(Array(whole[..<cut])))
            #expect(events.count == 9)
            #expect(reader.truncated)
            #expect(reader.notes.contains { $0.contains("ends inside record 10") })
        }
        var b = ClassicPcapBuilder(bigEndian: false, nanosecond: false)
        b.packet(seconds: 1, fraction: 0)
        b.bytes += [1, 0, 0, 0, 0]  // 5 of a 16-byte record header
        let (events, reader) = try ImportFixtures.importAll(ImportFixtures.scratch(b.bytes))
        #expect(events.count == 1 && reader.truncated)
    }

    @Test func invalidVersionIsOneClearLine() {
        let path = ImportFixtures.real("libpcap_pcap-invalid-version-1.pcap")
        let line = ImportFixtures.errorLine { _ = try ImportFixtures.importAll(path) }
        #expect(line == "\(path): header: unsupported pcap header version 1.4, libpcap: archaic pcap savefile format")
    }

    @Test func impossibleRecordLengthInTheMiddle() {
        var b = ClassicPcapBuilder(bigEndian: false, nanosecond: false)
        b.packet(seconds: 1, fraction: 0)
        b.packet(seconds: 2, fraction: 0, length: 4, claimedLength: 0x7FFF_FFFF)
        b.packet(seconds: 3, fraction: 0)
        let path = ImportFixtures.scratch(b.bytes)
        let line = ImportFixtures.errorLine { _ = try ImportFixtures.importAll(path) }
        #expect(line.hasPrefix("\(path): record 2: invalid packet capture length 2147483647"))
        #expect(!line.contains("\n"))
    }

    @Test func detectedByMagicNotByName() throws {
        let bytes = ImportFixtures.bytes(ImportFixtures.real("tcpdump_tcp-handshake-nano.pcap"))
        let path = ImportFixtures.scratch(bytes, name: "really-classic.pcapng")
        #expect(try ImportedFormat.detect(path: path) == .classicPcap(linkType: 113))
        #expect(try ImportFixtures.importAll(path).events.count == 3)
    }

    @Test func emptyCaptureIsNotAnError() throws {
        let b = ClassicPcapBuilder(bigEndian: true, nanosecond: true)
        let (events, reader) = try ImportFixtures.importAll(ImportFixtures.scratch(b.bytes))
        #expect(events.isEmpty && !reader.truncated)
    }
}
