/// Linux ftrace text: the raw `trace` file and `trace-cmd report` output, plain or gzip.
/// Every `irq_handler_entry` event is one level request, count 1, on the source mapped from its
/// IRQ number (see `IRQSourceMap`). Other events, `=> func` stack lines, comments and headers
/// (`# tracer:`, `cpus=N`) are skipped.
///
/// The file is parsed once, at init, into a compact list: the source map needs every IRQ of the
/// file before the first record can be given a source. So that memory stays bounded whatever the
/// file (a small gzip file can inflate a thousandfold), the list holds at most `maxEvents`
/// selected events (12 bytes each), a file may name at most 1023 distinct IRQs (what the source
/// map can place), and at most `maxNamesPerIRQ` handler names of `maxNameLength` bytes are kept.
public final class FtraceReader: TraceRecordReader {
    /// The most `irq_handler_entry` events one reader keeps (after the IRQ/CPU selection), unless
    /// the caller passes a lower `maxEvents` (a test reaches the bound with a few lines).
    public static let maxEvents = 50_000_000
    /// Handler names kept per IRQ (a shared line has a few); later ones are counted, not kept.
    static let maxNamesPerIRQ = 8
    /// Longer handler names are cut to this many bytes in notes.
    static let maxNameLength = 64

    public private(set) var truncated = false
    public private(set) var notes: [String] = []
    /// IRQ number -> PLIC source, over all IRQs of the file.
    public let sourceMap: IRQSourceMap
    /// IRQ number -> the handler names seen for it (a shared line has several).
    public let irqNames: [UInt32: [String]]

    private var times: [UInt64] = []
    private var irqs: [UInt32] = []
    private var index = 0

    public init(path: String, options: ImportOptions = ImportOptions(), maxEvents: Int = FtraceReader.maxEvents) throws(ImportError) {
        let reader = try LineReader(path: path)
        var names: [UInt32: [String]] = [:]
        var perIRQ: [UInt32: Int] = [:]
        var filteredOut = 0
        var headerNotes: [String] = []
        var selectedTimes: [UInt64] = []
        var selectedIRQs: [UInt32] = []
        var allIRQs = Set<UInt32>()
        var entries = 0
        var cut = false
        do {
            while let _ = try reader.nextLine({ (line) throws -> Void in
                guard let first = line.first else { return }
                if first == UInt8(ascii: "#") || first == UInt8(ascii: "c") {
                    Self.headerNote(line, into: &headerNotes)
                    return
                }
                guard FtraceLine.contains(line, "irq_handler_entry:") else { return }
                let isLast = reader.lastLineUnterminated || reader.compressedStreamTruncated
                switch FtraceLine.parseHeader(line) {
                case .notEvent:
                    if isLast { cut = true; return }
                    throw ImportError(file: path, .line(reader.lineNumber),
                        "irq_handler_entry line in no known ftrace layout (expected `TASK-PID [CPU] [flags] SECONDS.FRACTION: irq_handler_entry: irq=N name=NAME`)")
                case .badTimestamp(let message):
                    if isLast { cut = true; return }
                    throw ImportError(file: path, .line(reader.lineNumber), message)
                case .event(let h):
                    guard h.event.count == 17, FtraceLine.matches(line, h.event.lowerBound, "irq_handler_entry") else { return }
                    guard let (irq, name) = FtraceLine.parseIRQArgs(line, h.argsStart) else {
                        if isLast { cut = true; return }
                        throw ImportError(file: path, .line(reader.lineNumber), "irq_handler_entry without a valid `irq=N` argument")
                    }
                    if !name.isEmpty {
                        let name = name.utf8.count <= Self.maxNameLength ? name
                            : String(decoding: name.utf8.prefix(Self.maxNameLength), as: UTF8.self) + "..."
                        let kept = names[irq, default: []]
                        if kept.count < Self.maxNamesPerIRQ, !kept.contains(name) { names[irq, default: []].append(name) }
                    }
                    if allIRQs.insert(irq).inserted, allIRQs.count > 1023 {
                        throw ImportError(file: path, .line(reader.lineNumber),
                            "more than 1023 distinct IRQs (the PLIC's sources) in one file; IRQ \(irq) is the 1024th")
                    }
                    entries += 1
                    if (options.cpu.map { $0 == h.cpu } ?? true) && (options.irqs?.contains(irq) ?? true) {
                        guard selectedTimes.count < maxEvents else {
                            throw ImportError(file: path, .line(reader.lineNumber),
                                "more than \(maxEvents) irq_handler_entry events selected (each is kept in memory); select fewer with --irqs or --cpu, or split the trace")
                        }
                        selectedTimes.append(h.time)
                        selectedIRQs.append(irq)
                        perIRQ[irq, default: 0] += 1
                    } else {
                        filteredOut += 1
                    }
                }
            }) {}
        } catch let e as ImportError {
            throw e
        } catch {
            throw ImportError(file: path, .line(reader.lineNumber), "\(error)")
        }
        if reader.compressedStreamTruncated || cut { truncated = true }

        let map = try IRQSourceMap(irqs: allIRQs, file: path)
        sourceMap = map
        irqNames = names
        times = selectedTimes
        irqs = selectedIRQs
        notes = headerNotes
        notes.append("ftrace: \(entries) irq_handler_entry event(s) on \(allIRQs.count) IRQ(s)"
            + (reader.isGzip ? " (gzip)" : "") + (filteredOut > 0 ? ", \(filteredOut) left out by the IRQ/CPU selection" : ""))
        notes += IRQSourceMap.notes(prefix: "ftrace", irqs: Array(allIRQs), map: map, names: names) {
            "\(perIRQ[$0, default: 0]) request(s)"
        }
        if truncated {
            notes.append("ftrace: the file ends inside its last line" + (reader.compressedStreamTruncated ? " (gzip stream cut short)" : "")
                + "; the complete lines before it were kept")
        }
    }

    public func nextRecord() throws -> TraceEvent? {
        guard index < times.count else { return nil }
        defer { index += 1 }
        return TraceEvent(time: times[index], source: sourceMap[irqs[index]], kind: .level, count: 1)
    }

    /// `# tracer: nop`, `#P:8` and trace-cmd's `cpus=4` are worth reporting.
    private static func headerNote(_ line: UnsafeBufferPointer<UInt8>, into notes: inout [String]) {
        guard notes.count < 4 else { return }
        let text = String(decoding: line, as: UTF8.self)
        if text.hasPrefix("cpus=") || text.hasPrefix("# tracer:") {
            notes.append("ftrace header: \(text)")
        } else if text.hasPrefix("# entries-in-buffer"), let p = text.split(separator: " ").first(where: { $0.hasPrefix("#P:") }) {
            notes.append("ftrace header: \(p)")
        }
    }
}
