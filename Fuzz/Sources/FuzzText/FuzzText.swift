import FuzzSupport
import IRQTrace

// The text trace reader (CSV, read through zlib, so plain or gzip) and format detection. Each
// input is read as given and, unless it is gzip already, once more gzip-compressed: both must give
// the same records and the same error.
private let files = PlainAndGzip("trace.csv")

private func read(_ file: String) -> Result<[TraceEvent], TraceError> {
    _ = Oracle.expectCleanOutcome(file: file) { try TraceFormat.detect(path: file) }
    do {
        return .success(try Oracle.drain(try TextTraceReader(path: file)))
    } catch {
        Oracle.checkClean(error, file: file)
        return .failure(error as! TraceError)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzText(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    files.check(UnsafeRawBufferPointer(start: data, count: size), read: read) { x, y in
        x.location == y.location && x.reason == y.reason
    }
    return 0
}
