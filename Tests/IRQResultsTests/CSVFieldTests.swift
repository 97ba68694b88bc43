import IRQResults
import Testing

/// `CSVText.field`: a field is quoted only when it holds a comma, a quote or a line end
/// (RFC 4180), quotes inside doubled; everything else is written as it is.
struct CSVFieldTests {
    @Test func plainFieldsAreWrittenAsTheyAre() {
        #expect(CSVText.field("") == "")
        #expect(CSVText.field("p99_ns") == "p99_ns")
        #expect(CSVText.field("service=4000;harts=2") == "service=4000;harts=2")
        #expect(CSVText.field("trace é µs.pcap") == "trace é µs.pcap")
    }

    @Test func commasQuotesAndLineEndsAreQuoted() {
        #expect(CSVText.field("a,b") == "\"a,b\"")
        #expect(CSVText.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVText.field("two\nlines") == "\"two\nlines\"")
        #expect(CSVText.field("cr\rhere") == "\"cr\rhere\"")
        #expect(CSVText.field("crlf\r\nhere") == "\"crlf\r\nhere\"")
        #expect(CSVText.field(",") == "\",\"")
    }

    /// The test is on characters: a comma carrying a combining mark (one character, U+002C
    /// U+0301) is not a comma, and the field stays as it is.
    @Test func aCommaUnderACombiningMarkIsNotAComma() {
        #expect(CSVText.field("x,\u{301}y") == "x,\u{301}y")
        #expect(CSVText.field("x,\u{301},y") == "\"x,\u{301},y\"")
    }
}
