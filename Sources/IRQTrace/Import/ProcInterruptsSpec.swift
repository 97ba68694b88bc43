/// How `/proc/interrupts` snapshots reach a single `--trace` argument: a small spec, either in a
/// file or given inline as the argument itself, such as
///
///     procint:before=before.txt;after=after.txt;duration_ms=2000;seed=7
///
/// Items are separated by `;` or newlines; `#` starts a comment line. Relative paths are taken
/// from the spec file's folder (inline: the current folder). The duration takes exactly one of
/// `duration_ns`, `duration_us`, `duration_ms`, `duration_s`, as an integer or a decimal that
/// resolves to whole ns (`duration_s=2.5`). `seed` is optional.
public struct ProcInterruptsSpec: Equatable, Sendable {
    public var before: String
    public var after: String
    public var durationNs: UInt64
    public var seed: UInt64?

    public static let prefix = "procint:"

    public init(before: String, after: String, durationNs: UInt64, seed: UInt64? = nil) {
        self.before = before
        self.after = after
        self.durationNs = durationNs
        self.seed = seed
    }

    /// Reads a spec file.
    public init(path: String) throws(ImportError) {
        let file = try MappedFile(path: path)
        let folder = path.contains("/") ? String(path[...path.lastIndex(of: "/")!]) : ""
        try self.init(text: String(decoding: file.bytes, as: UTF8.self), baseDirectory: folder, file: path)
    }

    /// Parses spec text; `file` names it in errors.
    public init(text: String, baseDirectory: String, file: String) throws(ImportError) {
        var body = Substring(text)
        while let c = body.first, c == " " || c == "\n" || c == "\t" || c == "\r" || c == "\r\n" { body.removeFirst() }
        guard body.hasPrefix(Self.prefix) else {
            throw ImportError(file: file, .line(1), "a /proc/interrupts spec starts with `\(Self.prefix)`")
        }
        body = body.dropFirst(Self.prefix.count)
        var before: String?, after: String?, duration: UInt64?, seed: UInt64?
        var lineNumber = 1
        // "\r\n" is one Character, so splitting at "\n" alone would leave CRLF files in one line.
        for line in body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            defer { lineNumber += 1 }
            if line.trimmed.hasPrefix("#") { continue }
            for item in line.split(separator: ";") {
                let entry = item.trimmed
                if entry.isEmpty { continue }
                guard let eq = entry.firstIndex(of: "=") else {
                    throw ImportError(file: file, .line(lineNumber), "spec item `\(entry)` is not key=value")
                }
                let key = entry[..<eq].trimmed, value = entry[entry.index(after: eq)...].trimmed
                func path() -> String { value.hasPrefix("/") ? String(value) : baseDirectory + value }
                let units: [Substring: UInt64] = ["duration_ns": 1, "duration_us": 1_000, "duration_ms": 1_000_000, "duration_s": 1_000_000_000]
                if key == "before" {
                    before = path()
                } else if key == "after" {
                    after = path()
                } else if key == "seed" {
                    guard let s = UInt64(value) else { throw ImportError(file: file, .line(lineNumber), "seed `\(value)` is not an unsigned integer") }
                    seed = s
                } else if let unit = units[key] {
                    guard duration == nil else { throw ImportError(file: file, .line(lineNumber), "the duration is given twice") }
                    guard let ns = Self.decimal(value, times: unit) else {
                        throw ImportError(file: file, .line(lineNumber), "\(key)=\(value) is not a duration in whole ns that fits in 64 bits")
                    }
                    duration = ns
                } else {
                    throw ImportError(file: file, .line(lineNumber), "unknown spec key `\(key)` (before, after, duration_ns/us/ms/s, seed)")
                }
            }
        }
        guard let before, let after else {
            throw ImportError(file: file, .file, "a /proc/interrupts spec needs both `before=` and `after=`")
        }
        guard let duration, duration > 0 else {
            throw ImportError(file: file, .file, "a /proc/interrupts spec needs a duration above 0 (`duration_ms=...`)")
        }
        self.init(before: before, after: after, durationNs: duration, seed: seed)
    }

    /// `2.5` times 1e9 -> 2_500_000_000, with no Double: nil on overflow or a fraction of a ns.
    static func decimal(_ text: Substring, times unit: UInt64) -> UInt64? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = UInt64(parts[0]) else { return nil }
        let (w, o1) = whole.multipliedReportingOverflow(by: unit)
        guard !o1 else { return nil }
        guard parts.count == 2 else { return w }
        let digits = parts[1]
        guard !digits.isEmpty, digits.count <= 19, let frac = UInt64(digits) else { return nil }
        let scale = TimestampResolution.powersOfTen[digits.count]
        let (f, o2) = frac.multipliedReportingOverflow(by: unit)
        guard !o2, f % scale == 0 else { return nil }
        let (sum, o3) = w.addingReportingOverflow(f / scale)
        return o3 ? nil : sum
    }
}

extension Substring {
    var trimmed: Substring {
        var s = self
        while let c = s.first, c == " " || c == "\t" || c == "\r" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\r" { s.removeLast() }
        return s
    }
}

extension ProcInterruptsReader {
    /// Opens the snapshots a spec names.
    public convenience init(spec: ProcInterruptsSpec, options: ImportOptions = ImportOptions()) throws(ImportError) {
        try self.init(before: spec.before, after: spec.after, durationNs: spec.durationNs, options: options, seed: spec.seed)
    }
}
