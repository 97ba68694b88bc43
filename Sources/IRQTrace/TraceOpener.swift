/// The one place that maps a detected format to its record reader. `TraceInput.open` calls it
/// once per pass (twice for a sorted file), so a reader must read the file afresh each time.
///
/// Importers (Sources/IRQTrace/Import/) plug in here: replace the `.networkCapture`, `.ftrace`
/// and `.procInterrupts` cases with their readers.
func makeRecordReader(path: String, detection: TraceFormatDetection,
                      options: TraceOptions) throws -> any TraceRecordReader {
    switch detection.format {
    case .native:
        return try NativeTraceReader(path: path)
    case .text:
        return try TextTraceReader(path: path)  // zlib reads plain and gzip files alike
    case .networkCapture, .ftrace, .procInterrupts:
        do {
            return try RecordingImport.open(path: path, options: ImportOptions(options))
        } catch {
            throw error.traceError
        }
    }
}
