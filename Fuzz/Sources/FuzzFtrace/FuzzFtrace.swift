import FuzzSupport
import IRQTrace

// The ftrace importer (raw `trace` files and `trace-cmd report` text, plain or gzip) and format
// detection. Each input is read as given and, unless it is gzip already, once more gzip-compressed:
// both must give the same records and the same error.
private let files = PlainAndGzip("trace.txt")

private func read(_ file: String) -> Result<[TraceEvent], ImportError> {
    _ = Oracle.expectCleanOutcome(file: file) { try TraceFormat.detect(path: file) }
    _ = Oracle.expectCleanOutcome(file: file) { try ImportedFormat.detect(path: file) }
    do {
        return .success(try Oracle.drain(try FtraceReader(path: file)))
    } catch {
        Oracle.checkClean(error, file: file)
        return .failure(error as! ImportError)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFtrace(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    files.check(UnsafeRawBufferPointer(start: data, count: size), read: read) { x, y in
        x.location == y.location && x.message == y.message
    }
    return 0
}
