/// The one place that maps a detected format to its record reader. `TraceInput.open` calls it
/// once per pass (twice for a sorted file), so a reader must read the file afresh each time.
///
/// The importers (Sources/IRQTrace/Import/) are reached through `RecordingImport`.
func makeRecordReader(path: String, detection: TraceFormatDetection,
                      options: TraceOptions) throws -> any TraceRecordReader {
    switch detection.format {
    case .native:
        return try NativeTraceReader(path: path)
    case .text:
        return try TextTraceReader(path: path)  // zlib reads plain and gzip files alike
    case .networkCapture, .ftrace, .procInterrupts:
        return try RecordingImport.openForTraceInput(path: path, options: options)
    }
}

/// The records of the file at `path` exactly as stored: file order, times as recorded, nothing
/// normalised (what a lossless conversion copies). The format is detected from the content.
public func openTraceRecords(path: String, options: TraceOptions = .init())
    throws -> (reader: any TraceRecordReader, format: TraceFormat)
{
    let detection = try TraceFormat.detect(path: path)
    return (try makeRecordReader(path: path, detection: detection, options: options), detection.format)
}

/// A record reader as a `TraceStream` in file order with recorded times, for copying records
/// unchanged. At the end, a file cut short is an error when `strict` (as in `TraceInput`).
public struct RecordStream: TraceStream {
    public let reader: any TraceRecordReader
    public let name: String
    public let strict: Bool
    public private(set) var records = 0

    public init(_ reader: any TraceRecordReader, name: String, strict: Bool = false) {
        self.reader = reader
        self.name = name
        self.strict = strict
    }

    public mutating func next() throws -> TraceEvent? {
        if let e = try reader.nextRecord() {
            records += 1
            return e
        }
        if strict && reader.truncated {
            throw TraceError(.truncated, file: name, at: .record(records + 1),
                             "the file ends inside this record (a capture cut short); --strict makes this an error")
        }
        return nil
    }
}
