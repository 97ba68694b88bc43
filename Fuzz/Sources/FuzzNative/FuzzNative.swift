import FuzzSupport
import IRQTrace

// Native traces (pcap, nanosecond magic, LINKTYPE_USER0) and format detection, on any bytes, by
// both roads: libpcap (`NativeTraceReader`), and `TraceInput.open`, which reads the common form
// in blocks itself (`NativeBlockReader`) and falls back to libpcap for anything else. Both roads
// must give the same report and replay, or the same error.
private let scratch = ScratchFile("native.pcap")

/// A trace's report (without its SHA-256, which only one road takes) and replayed events.
private struct Replay: Equatable {
    var records: Int, reordered: Int, truncated: Bool, origin: UInt64, duration: UInt64
    var events: [TraceEvent]

    init(_ input: TraceInput) throws {
        let r = input.report
        (records, reordered, truncated, origin, duration) = (r.recordCount, r.reorderedRecords, r.truncated, r.originNs, r.durationNs)
        events = []
        while let e = try input.next() {
            Oracle.check(e)
            precondition(e.time >= (events.last?.time ?? 0), "replay goes back in time")
            events.append(e)
        }
        precondition(events.count == records, "replayed \(events.count) of \(records) records")
    }
}

private func outcome(_ file: String, _ open: () throws -> TraceInput) -> Result<Replay, TraceError> {
    do { return .success(try Replay(open())) } catch {
        Oracle.checkClean(error, file: file)
        return .failure(error as! TraceError)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNative(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    scratch.write(UnsafeRawBufferPointer(start: data, count: size))
    let file = scratch.path
    let detected = Oracle.expectCleanOutcome(file: file) { try TraceFormat.detect(path: file) }
    _ = Oracle.expectCleanOutcome(file: file) {
        let reader = try NativeTraceReader(path: file)
        let events = try Oracle.drain(reader)
        precondition(events.count == reader.recordsRead, "recordsRead \(reader.recordsRead) for \(events.count) records")
        for e in events { precondition(e.time <= TraceEvent.maxTime, "time \(e.time) past maxTime") }
    }
    guard detected?.format == .native else { return 0 }
    let blocks = outcome(file) { try TraceInput.open(path: file) }
    let libpcap = outcome(file) {
        try TraceInput(name: file, format: .native) { try NativeTraceReader(path: file) }
    }
    switch (blocks, libpcap) {
    case (.success(let a), .success(let b)): precondition(a == b, "the block reader and libpcap replay differently")
    case (.failure(let a), .failure(let b)): precondition(a == b, "the block reader and libpcap fail differently: \(a) / \(b)")
    default: preconditionFailure("one road reads the file, the other refuses it: \(blocks) / \(libpcap)")
    }
    return 0
}
