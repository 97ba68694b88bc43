import Testing
import IRQTrace

/// pcapng read block by block: the real multi-interface file libpcap refuses, per-interface
/// resolution and offset, sections in both byte orders, the packet block kinds, truncation and
/// the clear error lines.
@Suite struct ImportPcapngTests {
    @Test func manyInterfacesWithMixedLinkTypes() throws {
        let (events, reader) = try ImportFixtures.importAll(ImportFixtures.real("pcapplusplus_many_interfaces-1.pcapng"))
        #expect(events.count == 64)
        #expect(events.map(\.time).min() == 1_439_753_725_701_568_000)
        #expect(events.map(\.time).max() == 1_439_753_728_292_345_000)
        #expect(!reader.truncated)
        let interfaceNotes = reader.notes.filter { $0.hasPrefix("pcapng section 0 interface") }
        #expect(interfaceNotes.count == 11)
        #expect(interfaceNotes.first?.hasSuffix("62 packet(s)") == true)
        #expect(interfaceNotes.last?.hasSuffix("2 packet(s)") == true)
        #expect(Set(interfaceNotes.map { $0.split(separator: ",")[0].split(separator: " ").last! }).count > 1)  // mixed link types
    }

    @Test func shbOptionTooLongIsOneClearLine() {
        let path = ImportFixtures.real("libpcap_shb-option-too-long.pcapng")
        let line = ImportFixtures.errorLine { _ = try ImportFixtures.importAll(path) }
        #expect(line == "\(path): block 1 (byte 0): block total length in header (52) and trailer (808464432) don't match")
    }

    @Test func perInterfaceResolutionAndOffset() throws {
        var b = PcapngBuilder()
        b.section(bigEndian: false)
        b.interface(linkType: 1)                                   // default: µs
        b.interface(linkType: 0, tsresol: 9)                       // ns
        b.interface(linkType: 101, tsresol: 0x80 | 20)             // 2^-20 s
        b.interface(linkType: 1, tsresol: 3, tsoffset: 1_000_000)  // ms, +1e6 s
        b.interface(linkType: 1, tsresol: 12)                      // ps: rounds down
        b.interface(linkType: 1, tsresol: 6, tsoffset: -10)
        b.enhanced(interface: 0, units: 1_500_000)
        b.enhanced(interface: 1, units: 1_500_000_001)
        b.enhanced(interface: 2, units: 3 << 19)                    // 1.5 s exactly
        b.enhanced(interface: 3, units: 2_500)
        b.enhanced(interface: 4, units: 1_500_000_000_999)
        b.enhanced(interface: 5, units: 11_000_000)
        let (events, reader) = try ImportFixtures.importAll(ImportFixtures.scratch(b.bytes, name: "x.pcap"))
        #expect(events.map(\.time) == [1_500_000_000, 1_500_000_001, 1_500_000_000,
                                        1_000_002_500_000_000, 1_500_000_000, 1_000_000_000])
        #expect(reader.notes.contains("pcapng section 0 interface 2: link type 101, timestamps in 2^-20 s, 1 packet(s)"))
        #expect(reader.notes.contains("pcapng section 0 interface 3: link type 1, timestamps in 10^-3 s, offset 1000000 s, 1 packet(s)"))
    }

    @Test func fineBinaryResolutionDoesNotOverflowEarly() throws {
        var b = PcapngBuilder()
        b.section(bigEndian: true)
        b.interface(linkType: 1, tsresol: 0x80 | 32)  // 2^-32 s: a 2038 time needs 63 bits
        b.enhanced(interface: 0, units: 2_145_916_800 << 32)
        let (events, _) = try ImportFixtures.importAll(ImportFixtures.scratch(b.bytes))
        #expect(events.map(\.time) == [2_145_916_800_000_000_000])
    }

    @Test func timestampBeyond64BitNanosecondsIsAClearError() {
        var b = PcapngBuilder()
        b.section(bigEndian: false)
        b.interface(linkType: 1, tsresol: 0)  // seconds
        b.enhanced(interface: 0, units: 5)
        b.enhanced(interface: 0, units: 20_000_000_000)  // year 635,000
        let path = ImportFixtures.scratch(b.bytes)
        let line = ImportFixtures.errorLine { _ = try ImportFixtures.importAll(path) }
        #expect(line.hasPrefix("\(path): record 2 (byte "))
        #expect(line.hasSuffix("timestamp 20000000000 in units of 10^-0 s does not fit in 64-bit nanoseconds"))
    }

    @Test func sectionsInBothByteOrdersResetInterfaces() throws {
        var b = PcapngBuilder()
        b.section(bigEndian: false)
        b.interface(linkType: 1, tsresol: 9)
        b.enhanced(interface: 0, units: 7)
        b.section(bigEndian: true)
        b.interface(linkType: 1)  // µs again: the old ns interface is gone
        b.enhanced(interface: 0, units: 7)
        b.block(0x0000_0BAD, [1, 2, 3, 4])  // unknown block: skipped
        b.enhanced(interface: 0, units: 8)
        let (events, reader) = try ImportFixtures.importAll(ImportFixtures.scratch(b.bytes))
        #expect(events.map(\.time) == [7, 7_000, 8_000])
        #expect(reader.notes.contains("pcapng: skipped 1 block(s) of other types"))
        #expect(reader.notes.contains { $0.hasPrefix("pcapng section 1 interface 0") })
    }

    @Test func simpleAndObsoletePacketBlocks() throws {
        var b = PcapngBuilder()
        b.section(bigEndian: false)
        b.interface(linkType: 1)
        b.simple()                                  // before any time: takes the next packet's
        b.obsoletePacket(interface: 0, units: 100)  // obsolete Packet Block, 100 µs
        b.simple()                                  // takes the previous packet's time
        b.enhanced(interface: 0, units: 300)
        let (events, reader) = try ImportFixtures.importAll(ImportFixtures.scratch(b.bytes))
        #expect(events.map(\.time) == [100_000, 100_000, 100_000, 300_000])
        #expect(reader.notes.contains { $0.contains("2 simple packet block(s) have no timestamp") })

        var only = PcapngBuilder()
        only.section(bigEndian: true)
        only.interface(linkType: 1)
        only.simple(); only.simple()
        #expect(try ImportFixtures.importAll(ImportFixtures.scratch(only.bytes)).events.map(\.time) == [0, 0])
    }

    @Test func cutInsideLastBlockKeepsCompletePackets() throws {
        var b = PcapngBuilder()
        b.section(bigEndian: false)
        b.interface(linkType: 1)
        for t in 1...5 { b.enhanced(interface: 0, units: UInt64(t)) }
        for cut in [1, 4, 10, 30] {
            let (events, reader) = try ImportFixtures.importAll(ImportFixtures.scratch(Array(b.bytes.dropLast(cut))))
            #expect(events.count == 4)
            #expect(reader.truncated)
        }
        let (events, reader) = try ImportFixtures.importAll(ImportFixtures.scratch(b.bytes))
        #expect(events.count == 5 && !reader.truncated)
    }

    @Test func impossibleBlockLengthInTheMiddle() {
        var b = PcapngBuilder()
        b.section(bigEndian: false)
        b.interface(linkType: 1)
        b.enhanced(interface: 0, units: 1)
        let good = b.bytes.count
        b.enhanced(interface: 0, units: 2)
        b.enhanced(interface: 0, units: 3)
        var bad = b.bytes
        bad[good + 4] = 13  // total length 13: not a multiple of 4
        let path = ImportFixtures.scratch(bad)
        let line = ImportFixtures.errorLine { _ = try ImportFixtures.importAll(path) }
        #expect(line == "\(path): block 4 (byte \(good)): impossible block total length 13 (must be a multiple of 4, at least 12)")

        bad = b.bytes
        bad[good + 4] = 36  // a valid-looking length that lands inside the next block
        let path2 = ImportFixtures.scratch(bad)
        #expect(ImportFixtures.errorLine { _ = try ImportFixtures.importAll(path2) }.contains("don't match"))
    }

    @Test func packetOnUndefinedInterface() {
        var b = PcapngBuilder()
        b.section(bigEndian: false)
        b.interface(linkType: 1)
        b.enhanced(interface: 3, units: 1)
        let path = ImportFixtures.scratch(b.bytes)
        let line = ImportFixtures.errorLine { _ = try ImportFixtures.importAll(path) }
        #expect(line.hasSuffix("record 1 (byte 48): packet on interface 3, but section 0 defines 1 interface(s)"))
    }

    @Test func unsupportedVersion() {
        var b = PcapngBuilder()
        b.section(bigEndian: false, major: 2)
        let path = ImportFixtures.scratch(b.bytes)
        #expect(ImportFixtures.errorLine { _ = try ImportFixtures.importAll(path) }
            == "\(path): block 1 (byte 0): unsupported pcapng version 2.0 (1.0 and 1.2 are supported)")
    }
}
