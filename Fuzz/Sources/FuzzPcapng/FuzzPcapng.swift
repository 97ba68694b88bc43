import FuzzSupport
import IRQTrace

// irqbench's own pcapng block reader (not libpcap's) and format detection, on any bytes.
private let scratch = ScratchFile("capture.pcapng")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPcapng(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    scratch.write(UnsafeRawBufferPointer(start: data, count: size))
    Oracle.checkCapture(file: scratch.path) { try PcapngReader(path: $0) }
    return 0
}
