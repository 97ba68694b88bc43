import Foundation
import Testing
@testable import IRQTrace

@Suite struct FormatDetectionTests {
    @Test func nativeNamedTxtOpensAsNativeAndTextNamedPcapAsText() throws {
        let dir = try TempDir()
        let p = dir.file("looks-like-text.txt")
        try writeNative([level(7), level(9)], to: p)
        let input = try TraceInput.open(path: p)
        #expect(input.report.format == .native)
        #expect(try readAll(input) == [level(0), level(2)])

        let t = try dir.write("looks-like.pcap", "# hi\ntime_ns,source,kind,count\n3,1,level,1\n")
        let text = try TraceInput.open(path: t)
        #expect(text.report.format == .text)
        #expect(try readAll(text) == [level(0)])
    }

    @Test func bigEndianNanosecondPcapIsNative() throws {
        var be: [UInt8] = [0xA1, 0xB2, 0x3C, 0x4D, 0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0, 0, 147]
        be += [0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0, 8, 0, 0, 0, 8] + PcapBytes.payload(source: 3, kind: 2, count: 4)
        let dir = try TempDir()
        let p = try dir.write("be", bytes: be)
        #expect(try TraceFormat.detect(path: p).format == .native)
        #expect(try readAll(NativeTraceReader(path: p)) == [TraceEvent(time: 1_000_000_005, source: 3, kind: .edge, count: 4)])
    }

    @Test(arguments: [
        ([0x0A, 0x0D, 0x0D, 0x0A, 0x1C, 0, 0, 0, 0x4D, 0x3C, 0x2B, 0x1A], TraceFormat.networkCapture),
        (Array("# tracer: nop\n#\n".utf8), .ftrace),
        (Array("cpus=2\n  <idle>-0 [000] 1.0: irq_handler_entry: irq=19 name=eth0\n".utf8), .ftrace),
        (Array("  <idle>-0     [001] d.h1.  1234.567890: irq_handler_entry: irq=45 name=nvme0q1\n".utf8), .ftrace),
        (Array("           CPU0       CPU1\n  0:         46          0   IO-APIC   2-edge      timer\n".utf8), .procInterrupts),
    ] as [([UInt8], TraceFormat)])
    func importerFormatsAreRecognisedByContent(head: [UInt8], format: TraceFormat) throws {
        let dir = try TempDir()
        let p = try dir.write("x.csv", bytes: head)
        #expect(try TraceFormat.detect(path: p) == TraceFormatDetection(format: format))
    }

    @Test func gzipIsLookedInto() throws {
        let dir = try TempDir()
        let p = try dir.write("t", "time_ns,source,kind,count\n5,1,level,2\n")
        let gz = Process()
        gz.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gz.arguments = ["gzip", "-n", p]
        try gz.run()
        gz.waitUntilExit()
        try #require(gz.terminationStatus == 0)
        let z = dir.file("t.gz")
        #expect(try TraceFormat.detect(path: z) == TraceFormatDetection(format: .text, gzipCompressed: true))
        #expect(try readAll(TraceInput.open(path: z)) == [level(0, count: 2)])
    }

    @Test func unknownAndEmptyFilesAreClearErrors() throws {
        let dir = try TempDir()
        let p = try dir.write("junk.pcap", bytes: [0xDE, 0xAD, 0xBE, 0xEF, 1, 2, 3])
        let e = traceError { _ = try TraceInput.open(path: p) }
        #expect(e?.kind == .unsupported)
        #expect(e?.description.hasPrefix("\(p): not a known trace format (first bytes de ad be ef)") == true)
        let empty = try dir.write("empty.csv", "")
        #expect(traceError { _ = try TraceInput.open(path: empty) }?.description
                == "\(empty): empty file: not a trace (a text trace needs at least its header line)")
        let missing = dir.file("nope.csv")
        #expect(traceError { _ = try TraceInput.open(path: missing) }?.kind == .io)
    }
}
