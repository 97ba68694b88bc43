import FuzzSupport
import IRQTrace

// The classic pcap importer (any link type, through libpcap) and format detection, on any bytes.
private let scratch = ScratchFile("capture.pcap")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPcap(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    scratch.write(UnsafeRawBufferPointer(start: data, count: size))
    Oracle.checkCapture(file: scratch.path) { try ClassicPcapReader(path: $0) }
    return 0
}
