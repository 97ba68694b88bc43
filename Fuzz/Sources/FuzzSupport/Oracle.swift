import IRQTrace

/// What every reader must do with any input: return valid records or throw one clean error.
/// A breach stops the process (libFuzzer records the input as a crash).
public enum Oracle {
    /// A record as the replay needs it: a source in 1...1023, a count of at least 1.
    @inline(__always)
    public static func check(_ e: TraceEvent) {
        precondition(TraceEvent.sourceRange.contains(e.source), "record with source \(e.source)")
        precondition(e.count >= 1, "record with count 0")
    }

    /// Reads `reader` to its end, or to `limit` records (a bound on the harness, not on the reader:
    /// each record must still come in bounded time), checking every record.
    @discardableResult
    public static func drain(_ reader: any TraceRecordReader, limit: Int = 1 << 20) throws -> [TraceEvent] {
        var out: [TraceEvent] = []
        while out.count < limit, let e = try reader.nextRecord() {
            check(e)
            out.append(e)
        }
        _ = reader.notes
        return out
    }

    /// The only errors a reader may throw: the project's own, naming `file`, on one line.
    public static func checkClean(_ error: any Error, file: String) {
        let line: String
        switch error {
        case let e as TraceError:
            precondition(e.file == file, "TraceError names \(e.file), not \(file)")
            precondition(!e.reason.isEmpty, "TraceError without a reason")
            line = e.description
        case let e as ImportError:
            precondition(e.file == file, "ImportError names \(e.file), not \(file)")
            precondition(!e.message.isEmpty, "ImportError without a message")
            line = e.description
        default:
            preconditionFailure("not a clean error: \(type(of: error)): \(error)")
        }
        // Bytes, not Characters: "\r\n" is one Character and would hide a line break.
        precondition(!line.utf8.contains(0x0A), "error message spans lines: \(line)")
    }

    /// Runs `body`, accepting a clean error about `file`.
    public static func expectCleanOutcome<R>(file: String, _ body: () throws -> R) -> R? {
        do { return try body() } catch {
            checkClean(error, file: file)
            return nil
        }
    }

    /// A capture importer (classic pcap, pcapng) on the bytes in `file`: both format detectors,
    /// then the reader `open` gives, whose every packet must become one level request of count 1.
    public static func checkCapture(file: String, open: (String) throws -> any TraceRecordReader) {
        _ = expectCleanOutcome(file: file) { try TraceFormat.detect(path: file) }
        _ = expectCleanOutcome(file: file) { try ImportedFormat.detect(path: file) }
        _ = expectCleanOutcome(file: file) {
            for e in try drain(try open(file)) { precondition(e.source == 1 && e.count == 1 && e.kind == .level) }
        }
    }
}
