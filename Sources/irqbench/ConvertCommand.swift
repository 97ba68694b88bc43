import ArgumentParser
import Foundation
import IRQTrace

/// The trace formats irqbench writes, as command-line values.
enum OutputTraceFormat: String, ExpressibleByArgument, CaseIterable {
    case native, text

    var format: TraceFormat { self == .native ? .native : .text }

    /// The convenience default when `--to` is not given: by OUT's extension.
    static func guess(from path: String) -> OutputTraceFormat? {
        switch (path as NSString).pathExtension.lowercased() {
        case "pcap": .native
        case "csv", "txt": .text
        default: nil
        }
    }
}

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a trace between the native pcap format and the text CSV (or import a recording).",
        discussion: """
            IN's format is recognised by its content, never by its name. The output format is --to; \
            without it, OUT's extension decides as a convenience (.pcap: native; .csv or .txt: text), \
            and any other extension is an error.

            By default records are copied exactly as stored (file order, times as recorded, in ns), \
            so native -> text -> native is lossless. With --normalize or --max-gap the output is in \
            replay order instead: sorted (stably), times relative to the earliest event, long gaps \
            compressed.

            OUT is written atomically (a temporary file renamed into place): on any error it is \
            left as it was.
            """)

    @Argument(help: ArgumentHelp("The trace to read (native, text, or a recording an importer reads).", valueName: "in"))
    var input: String

    @Argument(help: ArgumentHelp("The trace to write.", valueName: "out"))
    var output: String

    @Option(help: "Output format: native (pcap, ns, LINKTYPE_USER0) or text (CSV). Default: from OUT's extension.")
    var to: OutputTraceFormat?

    @Flag(help: "Write replay order: stable-sorted, times relative to the earliest event (ns).")
    var normalize = false

    @OptionGroup var reading: TraceReadingOptions

    func validate() throws {
        if to == nil && OutputTraceFormat.guess(from: output) == nil {
            throw ValidationError("cannot tell the output format from '\(output)': pass --to native or --to text")
        }
    }

    func run() throws {
        let format = (to ?? OutputTraceFormat.guess(from: output)!).format
        let options = reading.traceOptions
        do {
            let written: Int
            let inputFormat: TraceFormat
            var truncated = false
            if normalize || reading.maxGap != nil {
                let trace = try TraceInput.open(path: input, options: options)
                var stream = trace
                written = try writeTrace(&stream, format: format, path: output)
                inputFormat = trace.report.format
                truncated = trace.report.truncated
                let r = trace.report
                if r.reorderedRecords > 0 { warn("note: \(input): \(r.reorderedRecords) records went back in time and were sorted into place") }
                if r.compressedGaps > 0 { warn("note: \(input): \(r.compressedGaps) gaps compressed (\(r.removedGapNs) ns removed)") }
                for n in r.notes { warn("note: \(n)") }
            } else {
                let (reader, detected) = try openTraceRecords(path: input, options: options)
                var stream = RecordStream(reader, name: input, strict: reading.strict)
                written = try writeTrace(&stream, format: format, path: output)
                inputFormat = detected
                truncated = reader.truncated
                for n in reader.notes { warn("note: \(n)") }
            }
            if truncated {
                warn("warning: \(input): ends inside its last record; converted the \(written) complete records")
            }
            print("\(output): \(written) records (\(inputFormat) -> \(format))")
        } catch let e as TraceError {
            warn("irqbench convert: \(e)")
            throw ExitCode(1)
        }
    }
}

func warn(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
