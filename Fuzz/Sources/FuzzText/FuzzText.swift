import FuzzSupport
import IRQTrace

// The text trace reader (CSV, read through zlib, so plain or gzip) and format detection. Each
// input is read as given and, unless it is gzip already, once more gzip-compressed: both must give
// the same records and the same error.
private let plain = ScratchFile("trace.csv")
private let packed = ScratchFile("trace.csv.gz")

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
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    plain.write(bytes)
    let a = read(plain.path)
    guard !(size >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B) else { return 0 }
    packed.write(Gzip.compress(bytes))
    let b = read(packed.path)
    switch (a, b) {
    case (.success(let x), .success(let y)):
        precondition(x == y, "plain and gzip give different records")
    case (.failure(let x), .failure(let y)):
        precondition(x.location == y.location && x.reason == y.reason,
                     "plain and gzip give different errors: \(x) / \(y)")
    default:
        preconditionFailure("plain and gzip disagree: \(a) / \(b)")
    }
    return 0
}
