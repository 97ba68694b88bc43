import Foundation

/// The text layer under every CSV irqbench reads (results, rate series, thresholds), so that a
/// file saved by another tool reads the same as one irqbench wrote: Python's csv module and
/// spreadsheets end lines with CRLF, Windows editors put a UTF-8 byte-order mark first, and many
/// tools leave an empty line at the end.
public enum CSVText {
    /// Bytes as text: UTF-8, or nil for anything else (a binary file is not a CSV).
    static func decode(_ data: Data) -> String? {
        String(data: data, encoding: .utf8)
    }

    /// The lines of `text`, numbered from 1 as an editor numbers them. A line ends at LF, CRLF
    /// or a lone CR (the line end is not part of the line); a byte-order mark (U+FEFF) before
    /// the first line is dropped; the last line needs no line end. Callers skip empty lines.
    static func numberedLines(_ text: String) -> [(number: Int, text: Substring)] {
        var body = Substring(text)
        if body.unicodeScalars.first == "\u{FEFF}" { body = Substring(body.unicodeScalars.dropFirst()) }
        // Swift compares Characters, and CRLF is one Character: splitting on "\n" alone would
        // leave a CRLF file as one long line.
        let lines = body.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        return lines.enumerated().map { (number: $0.offset + 1, text: $0.element) }
    }

    /// One CSV line's fields (RFC 4180 quoting: "a ""b""" is `a "b"`; no line ends inside
    /// fields). nil when a quote is left open or a quoted field has text after its closing quote.
    static func fields(_ line: Substring) -> [String]? {
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if inQuotes {
                if c == "\"" {
                    let n = line.index(after: i)
                    if n < line.endIndex && line[n] == "\"" { field.append("\""); i = n } else { inQuotes = false }
                } else { field.append(c) }
            } else if c == "\"" {
                guard field.isEmpty else { return nil }
                inQuotes = true
            } else if c == "," {
                fields.append(field); field = ""
            } else { field.append(c) }
            i = line.index(after: i)
        }
        guard !inQuotes else { return nil }
        fields.append(field)
        return fields
    }

    /// A field as written: quoted only when it must be (RFC 4180).
    public static func field(_ s: String) -> String {
        // Each of these characters is made of these bytes only, so a field without the bytes
        // (nearly every field) is returned after a byte scan; walking Characters costs about
        // a hundred times more. A field with one of the bytes gets the Character test as before
        // (a comma under a combining mark, say, is not a comma).
        func special(_ b: UInt8) -> Bool {
            b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r")
        }
        guard s.utf8.withContiguousStorageIfAvailable({ $0.contains(where: special) })
                ?? s.utf8.contains(where: special) else { return s }
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
