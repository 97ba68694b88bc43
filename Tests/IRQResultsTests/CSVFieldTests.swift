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

/// `ResultsCSV.render` writes the provenance part of a line once per run of rows that share it:
/// a change in any one of those fields starts a new run, and every line is still complete.
struct ResultsRenderTests {
    @Test func everyProvenanceFieldChangeIsWritten() {
        let a = ResultRow(commit: "c1", trace: "t,1.pcap", traceSHA256: "ab", params: "", strategy: "guest-end",
                          kind: .sim, metric: "requests", value: "7")
        var rows = [a]
        var b = a; b.metric = "lost_edges"; b.value = "0"; rows.append(b)
        var c = b; c.commit = "c2"; rows.append(c)
        var d = c; d.trace = "u.pcap"; rows.append(d)
        var e = d; e.traceSHA256 = "cd"; rows.append(e)
        var f = e; f.params = "harts=2"; rows.append(f)
        var g = f; g.strategy = "host-end"; rows.append(g)
        var h = g; h.kind = .wall; rows.append(h)
        var i = h; i.schema = ResultsSchema.version + 1; i.rep = 3; rows.append(i)
        var j = i; j.value = "x,y"; rows.append(j)
        let want = """
            schema,commit,trace,trace_sha256,params,strategy,kind,metric,rep,value
            \(ResultsSchema.version),c1,"t,1.pcap",ab,,guest-end,sim,requests,0,7
            \(ResultsSchema.version),c1,"t,1.pcap",ab,,guest-end,sim,lost_edges,0,0
            \(ResultsSchema.version),c2,"t,1.pcap",ab,,guest-end,sim,lost_edges,0,0
            \(ResultsSchema.version),c2,u.pcap,ab,,guest-end,sim,lost_edges,0,0
            \(ResultsSchema.version),c2,u.pcap,cd,,guest-end,sim,lost_edges,0,0
            \(ResultsSchema.version),c2,u.pcap,cd,harts=2,guest-end,sim,lost_edges,0,0
            \(ResultsSchema.version),c2,u.pcap,cd,harts=2,host-end,sim,lost_edges,0,0
            \(ResultsSchema.version),c2,u.pcap,cd,harts=2,host-end,wall,lost_edges,0,0
            \(ResultsSchema.version + 1),c2,u.pcap,cd,harts=2,host-end,wall,lost_edges,3,0
            \(ResultsSchema.version + 1),c2,u.pcap,cd,harts=2,host-end,wall,lost_edges,3,"x,y"

            """
        #expect(ResultsCSV.render(rows) == want)
    }
}
