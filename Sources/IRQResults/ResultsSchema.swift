import Foundation

/// The results CSV (long format): one row per (trace, strategy, metric[, repetition]).
///
/// Columns, in order: `schema,commit,trace,trace_sha256,params,strategy,kind,metric,rep,value`.
/// - `schema`: `ResultsSchema.version`; a reader refuses other versions.
/// - `commit`: the git commit of the irqbench that produced the row (`unknown` outside a checkout).
/// - `trace`: the trace's name (file name); `trace_sha256`: of the trace file's bytes.
/// - `params`: the scenario in canonical form (`name=value;...` of every non-default parameter,
///   then `sources=<sha256 prefix>` when a per-source file was given); empty means defaults.
/// - `kind`: `sim` (deterministic: compared exactly), `wall` or `live` (measured: compared
///   statistically across the `rep` rows).
/// - `rep`: the repetition index for measured metrics; 0 for simulated ones.
/// - `value`: integer, decimal with three places, or empty (no samples).
public enum ResultsSchema {
    public static let version = 1
    public static let header = "schema,commit,trace,trace_sha256,params,strategy,kind,metric,rep,value"
}

public enum MetricKind: String, Sendable, CaseIterable {
    case sim, wall, live
}

public struct ResultRow: Equatable, Hashable, Sendable {
    public var schema: Int
    public var commit: String
    public var trace: String
    public var traceSHA256: String
    public var params: String
    public var strategy: String
    public var kind: MetricKind
    public var metric: String
    public var rep: Int
    public var value: String

    public init(
        schema: Int = ResultsSchema.version, commit: String, trace: String, traceSHA256: String,
        params: String, strategy: String, kind: MetricKind, metric: String, rep: Int = 0,
        value: String
    ) {
        self.schema = schema
        self.commit = commit
        self.trace = trace
        self.traceSHA256 = traceSHA256
        self.params = params
        self.strategy = strategy
        self.kind = kind
        self.metric = metric
        self.rep = rep
        self.value = value
    }
}

/// Why a file is not a readable results (or rate series, or thresholds) CSV, as one line:
/// `file:line: what is wrong`, or `file: what is wrong` when it is about the whole file (line 0).
public struct ResultsFormatError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int
    public var reason: String
    public var description: String { line > 0 ? "\(file):\(line): \(reason)" : "\(file): \(reason)" }
}

extension ResultRow {
    /// Fields are quoted only when they need it (RFC 4180).
    public var csvLine: String {
        var line = ""
        appendCSVLine(to: &line)
        return line
    }

    /// `csvLine` appended to `out`: the fields one after the other, without the array, the
    /// mapped copy and the join of the obvious spelling (results files have thousands of rows).
    func appendCSVLine(to out: inout String) {
        out += csvProvenance
        appendCSVMeasurement(to: &out)
    }

    /// The line up to the metric: schema, provenance, strategy and kind, then a comma. The same
    /// for every row of a replay, so `ResultsCSV.render` writes it once per run of such rows.
    var csvProvenance: String {
        var out = String(schema)
        for field in [commit, trace, traceSHA256, params, strategy, kind.rawValue] {
            out += ","
            out += CSVText.field(field)
        }
        out += ","
        return out
    }

    /// Do `self` and `o` share `csvProvenance`?
    func sharesProvenance(with o: ResultRow) -> Bool {
        schema == o.schema && kind == o.kind && strategy == o.strategy && trace == o.trace
            && commit == o.commit && traceSHA256 == o.traceSHA256 && params == o.params
    }

    /// The rest of the line: metric, rep and value.
    func appendCSVMeasurement(to out: inout String) {
        out += CSVText.field(metric)
        out += ","
        out += String(rep)
        out += ","
        out += CSVText.field(value)
    }
}

public enum ResultsCSV {
    /// The whole file: header line, then one line per row, each ending in "\n".
    public static func render(_ rows: [ResultRow]) -> String {
        var out = ResultsSchema.header + "\n"
        out.reserveCapacity(out.utf8.count + rows.count * 160)
        // The provenance part of the line is quoted once per run of rows that share it (a
        // replay's hundreds of rows), not once per row: quoting is most of a line's cost.
        var provenance = "", provenanceOf: ResultRow? = nil
        for r in rows {
            if provenanceOf.map({ !r.sharesProvenance(with: $0) }) ?? true {
                provenance = r.csvProvenance
                provenanceOf = r
            }
            out += provenance
            r.appendCSVMeasurement(to: &out)
            out += "\n"
        }
        return out
    }

    /// Parses a results file; `file` names it in errors. This is the one reader of results
    /// files: every command that reads them (compare, plot, merge, ...) comes through here.
    /// Accepted as irqbench writes it and as other tools save it: CRLF or LF line ends, a UTF-8
    /// byte-order mark, empty lines (e.g. at the end), `#` comment lines, quoted fields.
    /// Anything else is one `file:line: what is wrong` error.
    public static func parse(_ text: String, file: String) throws -> [ResultRow] {
        var parser = ResultsLineParser(file: file)
        var rows: [ResultRow] = []
        for (n, line) in CSVText.numberedLines(text) {
            if case .row(let r) = try parser.feed(line, number: n) { rows.append(r) }
        }
        try parser.finish()
        return rows
    }

    /// Reads and parses the results file at `path` (errors name `path`).
    public static func load(path: String) throws -> [ResultRow] {
        try parse(try text(of: path), file: path)
    }

    /// The file's text, or one line saying why it cannot be a results CSV.
    static func text(of path: String) throws -> String {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw ResultsFormatError(file: path, line: 0, reason: "no such file")
        }
        guard !isDir.boolValue else { throw ResultsFormatError(file: path, line: 0, reason: "is a directory, not a results file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ResultsFormatError(file: path, line: 0, reason: "cannot read")
        }
        guard let text = CSVText.decode(data) else {
            throw ResultsFormatError(file: path, line: 0, reason: "not a results CSV (not UTF-8 text)")
        }
        return text
    }

    static let headerFields = ResultsSchema.header.split(separator: ",").map(String.init)
}

/// What each line of a results file is, for every reader (`ResultsCSV.parse` on a whole text,
/// `ResultsFileReader` streaming a file): empty lines are skipped, `#` lines are comments, the
/// first other line must be the header, then every line is a row. Line ends and the byte-order
/// mark are the text layer's business (`CSVText`).
public struct ResultsLineParser: Sendable {
    public enum Line: Equatable {
        case blank
        case comment(String)
        case header
        case row(ResultRow)
    }

    public let file: String
    public private(set) var sawHeader = false

    public init(file: String) { self.file = file }

    /// `line` is one line without its line end; `number` counts from 1.
    public mutating func feed(_ line: Substring, number n: Int) throws -> Line {
        if line.isEmpty { return .blank }
        if line.hasPrefix("#") { return .comment(String(line)) }
        if !sawHeader {
            guard CSVText.fields(line) == ResultsCSV.headerFields else {
                throw ResultsFormatError(file: file, line: n,
                    reason: "not an irqbench results file (expected header '\(ResultsSchema.header)')")
            }
            sawHeader = true
            return .header
        }
        guard let f = CSVText.fields(line), f.count == ResultsCSV.headerFields.count else {
            throw ResultsFormatError(file: file, line: n, reason: "expected \(ResultsCSV.headerFields.count) fields (\(ResultsSchema.header))")
        }
        guard let schema = Int(f[0]) else {
            throw ResultsFormatError(file: file, line: n, reason: "schema '\(f[0])' is not a number")
        }
        guard schema == ResultsSchema.version else {
            throw ResultsFormatError(file: file, line: n,
                reason: "schema version \(schema) is not supported (this irqbench reads \(ResultsSchema.version))")
        }
        guard let kind = MetricKind(rawValue: f[6]) else {
            throw ResultsFormatError(file: file, line: n, reason: "unknown kind '\(f[6])'")
        }
        guard let rep = Int(f[8]), rep >= 0 else {
            throw ResultsFormatError(file: file, line: n, reason: "rep '\(f[8])' is not a count")
        }
        return .row(ResultRow(schema: schema, commit: f[1], trace: f[2], traceSHA256: f[3], params: f[4],
                              strategy: f[5], kind: kind, metric: f[7], rep: rep, value: f[9]))
    }

    /// At the end of the input: a file without a header is not a results file.
    public func finish() throws {
        guard sawHeader else {
            throw ResultsFormatError(file: file, line: 1, reason: "empty file: no results header")
        }
    }
}

/// Writes `contents` to `path` atomically: a temporary file in the same directory, fsync, then
/// rename. Readers see the old file or the whole new one, never half of it.
public func writeFileAtomically(_ contents: String, to path: String) throws {
    try writeFileAtomically(Data(contents.utf8), to: path)
}

/// The same for bytes (pictures written by `irqbench plot`).
public func writeFileAtomically(_ data: Data, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let dir = url.deletingLastPathComponent()
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
    guard FileManager.default.createFile(atPath: tmp.path, contents: nil) else {
        throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: tmp.path])
    }
    do {
        let handle = try FileHandle(forWritingTo: tmp)
        try handle.write(contentsOf: data)
        try handle.synchronize()
        try handle.close()
        guard rename(tmp.path, url.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
    } catch {
        try? FileManager.default.removeItem(at: tmp)
        throw error
    }
}
