/// Writes a native trace record by record (pcap, nanosecond magic, LINKTYPE_USER0).
/// Nothing is checked for order: the format keeps records in the order given.
public final class NativeTraceWriter: TraceWriter {
    public let file: String
    private let handle: PcapHandle
    private let dumper: PcapDumper
    public private(set) var recordsWritten = 0

    /// `pcap_open_dead_with_tstamp_precision(147, 65535, NANO)` + `pcap_dump_open(path)`:
    /// creates or truncates `path`.
    public init(path: String) throws {
        file = path
        do {
            handle = try PcapHandle.openDead(linkType: TraceFormat.nativeLinkType, snapshotLength: 65535,
                                             precision: .nanoseconds)
            dumper = try PcapDumper(handle: handle, path: path)
        } catch {
            throw TraceError(.io, file: path, "cannot create: \(error.message)")
        }
    }

    public func write(_ event: TraceEvent) throws {
        let index = recordsWritten + 1
        try TraceEvent.check(event, file: file, at: .record(index))
        withUnsafeTemporaryAllocation(byteCount: NativeRecord.payloadSize, alignment: 8) { payload in
            NativeRecord.encode(event, into: payload)
            dumper.dump(seconds: Int(event.time / 1_000_000_000), fraction: Int(event.time % 1_000_000_000),
                        bytes: UnsafeRawBufferPointer(payload))
        }
        recordsWritten = index
    }

    public func finish() throws {
        do { try dumper.close() } catch {
            throw TraceError(.io, file: file, "\(error)")
        }
    }
}
