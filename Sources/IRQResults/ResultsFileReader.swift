import Foundation

/// Reads a results file line by line with `ResultsLineParser`, holding one chunk of the file at a
/// time: sweeps write files of any size, and merge and crossover must not need them in memory.
/// Lines are cut as `CSVText` cuts them (LF, CRLF or a lone CR; a byte-order mark first).
public final class ResultsFileReader {
    public let path: String
    private let handle: FileHandle
    private var parser: ResultsLineParser
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEOF = false
    public private(set) var lineNumber = 0
    private var peeked: (line: ResultsLineParser.Line, text: String)?
    /// Lines of the last LF-terminated piece not handed out yet (more than one after lone CRs).
    private var split: [Substring] = []

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
        while split.isEmpty {
            guard let raw = try nextRawLine() else {
                try parser.finish()
                return nil
            }
            guard let text = String(validating: raw, as: UTF8.self) else {
                throw ResultsFormatError(file: path, line: lineNumber + 1, reason: "not a results CSV (not UTF-8 text)")
            }
            if lineNumber > 0 && !raw.contains(UInt8(ascii: "\r")) {
                // The common case (irqbench's own files): one LF-terminated line, nothing to cut.
                split = [Substring(text)]
                break
            }
            // The byte-order mark counts only before the first line.
            let lines = CSVText.numberedLines(lineNumber == 0 ? text : "\n" + text).map(\.text)
            split = lineNumber == 0 ? lines : Array(lines.dropFirst())
            // A piece that ended in "\r\n" or "\r" leaves an empty last line that is no line.
            if split.count > 1, split.last!.isEmpty, raw.last == UInt8(ascii: "\r") { split.removeLast() }
        }
        let line = split.removeFirst()
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

    private func nextRawLine() throws -> ArraySlice<UInt8>? {
        while true {
            if let nl = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[start..<nl]
                start = nl + 1
                return line
            }
            if atEOF {
                guard start < buffer.count else { return nil }
                let line = buffer[start...]
                start = buffer.count
                return line
            }
            // Keep the unfinished line, drop what was consumed, read more.
            buffer.removeFirst(start)
            start = 0
            let chunk = try handle.read(upToCount: 1 << 18) ?? Data()
            if chunk.isEmpty { atEOF = true } else { buffer.append(contentsOf: chunk) }
        }
    }
}
