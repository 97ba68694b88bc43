import Foundation

/// Reads a results file line by line with `ResultsLineParser`, holding one chunk of the file at a
/// time: sweeps write files of any size, and merge and crossover must not need them in memory.
/// Lines are cut as `CSVText` cuts them (LF, CRLF or a lone CR; a byte-order mark first). A line
/// longer than `maxLineLength` is an error, so memory stays bounded whatever the file holds.
public final class ResultsFileReader {
    /// Results lines are a few hundred bytes; a longer one is not a results file.
    public static let maxLineLength = 1 << 20

    public let path: String
    private let handle: FileHandle
    private var parser: ResultsLineParser
    private var buffer: [UInt8] = []
    private var start = 0
    /// Bytes before this offset hold no line end (so a long line is searched once, not per chunk).
    private var scanned = 0
    private var atEOF = false
    public private(set) var lineNumber = 0
    private var peeked: (line: ResultsLineParser.Line, text: String)?

    public init(path: String) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw ResultsFormatError(file: path, line: 0, reason: "no such file")
        }
        guard !isDir.boolValue else { throw ResultsFormatError(file: path, line: 0, reason: "is a directory, not a results file") }
        guard let h = FileHandle(forReadingAtPath: path) else { throw ResultsFormatError(file: path, line: 0, reason: "cannot read") }
        self.path = path
        handle = h
        parser = ResultsLineParser(file: path)
    }

    deinit { try? handle.close() }

    /// The next line, parsed, with its text (no line terminator); nil at the end of the file,
    /// after checking that the file had a header.
    public func next() throws -> (line: ResultsLineParser.Line, text: String)? {
        if let p = peeked { peeked = nil; return p }
        guard let raw = try nextRawLine() else {
            try parser.finish()
            return nil
        }
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw ResultsFormatError(file: path, line: lineNumber + 1, reason: "not a results CSV (not UTF-8 text)")
        }
        // The byte-order mark counts only before the first line (CSVText drops it there).
        let line = lineNumber == 0 ? CSVText.numberedLines(text).first?.text ?? "" : Substring(text)
        lineNumber += 1
        return (try parser.feed(line, number: lineNumber), String(line))
    }

    /// The next line without consuming it.
    public func peek() throws -> (line: ResultsLineParser.Line, text: String)? {
        if peeked == nil { peeked = try next() }
        return peeked
    }

    /// The comment lines before the header, consuming through the header.
    public func readPreamble() throws -> [String] {
        var comments: [String] = []
        while let (line, _) = try next() {
            switch line {
            case .comment(let c): comments.append(c)
            case .blank: continue
            case .header: return comments
            case .row: break
            }
        }
        return comments
    }

    /// The next data row, skipping blank and comment lines.
    public func nextRow() throws -> ResultRow? {
        while let (line, _) = try next() {
            if case .row(let r) = line { return r }
        }
        return nil
    }

    /// The next line's bytes without its line end: LF, CRLF or a lone CR, as `CSVText` cuts lines.
    private func nextRawLine() throws -> ArraySlice<UInt8>? {
        let lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        while true {
            if let end = buffer[scanned...].firstIndex(where: { $0 == lf || $0 == cr }) {
                let crlf = buffer[end] == cr
                if crlf && end + 1 == buffer.count && !atEOF {
                    // A CR at the end of what was read may be the first half of a CRLF: read on.
                    scanned = end
                } else {
                    let line = buffer[start..<end]
                    start = end + (crlf && end + 1 < buffer.count && buffer[end + 1] == lf ? 2 : 1)
                    scanned = start
                    return line
                }
            } else {
                scanned = buffer.count
                if atEOF {
                    guard start < buffer.count else { return nil }
                    let line = buffer[start...]
                    start = buffer.count
                    scanned = start
                    return line
                }
            }
            guard buffer.count - start <= Self.maxLineLength else {
                throw ResultsFormatError(file: path, line: lineNumber + 1,
                                         reason: "line longer than \(Self.maxLineLength) bytes (1 MiB): not a results file")
            }
            // Keep the unfinished line, drop what was consumed, read more.
            buffer.removeFirst(start)
            scanned -= start
            start = 0
            let chunk = try handle.read(upToCount: 1 << 18) ?? Data()
            if chunk.isEmpty { atEOF = true } else { buffer.append(contentsOf: chunk) }
        }
    }
}
