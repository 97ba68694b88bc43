import FuzzSupport
import IRQTrace

// irqbench's own pcapng block reader (not libpcap's) and format detection, on any bytes.
private let scratch = ScratchFile("capture.pcapng")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPcapng(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    scratch.write(UnsafeRawBufferPointer(start: data, count: size))
    let file = scratch.path
    _ = Oracle.expectCleanOutcome(file: file) { try TraceFormat.detect(path: file) }
    _ = Oracle.expectCleanOutcome(file: file) { try ImportedFormat.detect(path: file) }
    _ = Oracle.expectCleanOutcome(file: file) {
        let reader = try PcapngReader(path: file)
        for e in try Oracle.drain(reader) { precondition(e.source == 1 && e.count == 1 && e.kind == .level) }
    }
    return 0
}
