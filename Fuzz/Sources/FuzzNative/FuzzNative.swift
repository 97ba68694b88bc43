import FuzzSupport
import IRQTrace

// The native trace reader (pcap, nanosecond magic, LINKTYPE_USER0, read through libpcap) and
// format detection, on any bytes.
private let scratch = ScratchFile("native.pcap")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNative(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    scratch.write(UnsafeRawBufferPointer(start: data, count: size))
    let file = scratch.path
    _ = Oracle.expectCleanOutcome(file: file) { try TraceFormat.detect(path: file) }
    _ = Oracle.expectCleanOutcome(file: file) {
        let reader = try NativeTraceReader(path: file)
        let events = try Oracle.drain(reader)
        precondition(events.count == reader.recordsRead, "recordsRead \(reader.recordsRead) for \(events.count) records")
        for e in events { precondition(e.time <= TraceEvent.maxTime, "time \(e.time) past maxTime") }
    }
    return 0
}
