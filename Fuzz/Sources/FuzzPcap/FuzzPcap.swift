import FuzzSupport
import IRQTrace

// The classic pcap importer (any link type, through libpcap) and format detection, on any bytes.
private let scratch = ScratchFile("capture.pcap")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPcap(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    scratch.write(UnsafeRawBufferPointer(start: data, count: size))
    let file = scratch.path
    _ = Oracle.expectCleanOutcome(file: file) { try TraceFormat.detect(path: file) }
    _ = Oracle.expectCleanOutcome(file: file) { try ImportedFormat.detect(path: file) }
    _ = Oracle.expectCleanOutcome(file: file) {
        let reader = try ClassicPcapReader(path: file)
        for e in try Oracle.drain(reader) { precondition(e.source == 1 && e.count == 1 && e.kind == .level) }
    }
    return 0
}
