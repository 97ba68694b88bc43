/// A streaming writer of one trace file. Call `finish()` at the end: it flushes and reports
/// write errors that buffered output would otherwise hide.
public protocol TraceWriter: AnyObject {
    func write(_ event: TraceEvent) throws
    func finish() throws
}

/// A writer for `format` (native or text) creating or truncating `path`.
public func makeTraceWriter(format: TraceFormat, path: String) throws -> any TraceWriter {
    switch format {
    case .native: return try NativeTraceWriter(path: path)
    case .text: return try TextTraceWriter(path: path)
    default:
        throw TraceError(.unsupported, file: path, "irqbench writes only native and text traces, not \(format)")
    }
}

extension TraceEvent {
    /// The checks every written record passes, so no writer produces a file its reader refuses.
    static func check(_ e: TraceEvent, file: String, at location: TraceError.Location) throws {
        guard TraceEvent.sourceRange.contains(e.source) else {
            throw TraceError(.malformed, file: file, at: location, "source \(e.source) is outside 1...1023")
        }
        guard e.count >= 1 else {
            throw TraceError(.malformed, file: file, at: location, "count is 0 (must be at least 1)")
        }
        guard e.time <= TraceEvent.maxTime else {
            throw TraceError(.malformed, file: file, at: location,
                             "time \(e.time) ns is beyond the latest storable time \(TraceEvent.maxTime) ns")
        }
    }
}
