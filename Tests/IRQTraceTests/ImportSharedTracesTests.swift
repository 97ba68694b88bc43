import Testing
import IRQTrace
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs every file of the team's shared trace folder through the importers when
/// IRQBENCH_SHARED_TRACES names it (a folder of public recordings, outside the project). Those
/// files are not all redistributable, so CI without the folder skips this. The expected outcomes
/// are those of the folder's SOURCES.md; a file not listed there must import or fail with one
/// clear line.
@Suite struct ImportSharedTracesTests {
    static let folder: String? = {
        guard let p = getenv("IRQBENCH_SHARED_TRACES") else { return nil }
        let s = String(cString: p)
        return s.isEmpty ? nil : (s.hasSuffix("/") ? s : s + "/")
    }()

    /// Request counts (packets or irq_handler_entry events) from SOURCES.md; nil: a clear error.
    static let expected: [String: Int?] = [
        "tcpdump_tcp-handshake-nano.pcap": 3,
        "pcapplusplus_nanosecs_big_endian.pcap": 10,
        "pcapplusplus_many_interfaces-1.pcapng": 64,
        "ndpi_sites.pcapng": 699,
        "pcapplusplus_example.pcap": 4631,
        "suricataverify_denial6-6.pcap": 39838,
        "stopddos_amp.UDP.bacnet.IOT.37810.pcapng": 9617,
        "suricataverify_dhcp-request-flood_test.pcap": 10000,
        "zeek_echo-connections.pcap": 82582,
        "tcpdump_babel_update_oobr.pcap": 107,
        "libpcap_pcap-invalid-version-1.pcap": nil,
        "libpcap_shb-option-too-long.pcapng": nil,
        "gracker_trace_input_blog_launcher_scroll.ftrace.txt": 2770,
        "langraph_trace.report.txt.gz": 267,
        "wa_proc_interrupts_before.txt": nil,  // a lone snapshot: needs a spec
        "wa_proc_interrupts_after.txt": nil,
    ]

    static func files() -> [String] {
        guard let folder, let dir = opendir(folder) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if !name.hasPrefix("."), name != "SOURCES.md" { names.append(name) }
        }
        return names.sorted()
    }

    @Test(.enabled(if: folder != nil, "set IRQBENCH_SHARED_TRACES to the shared trace folder"))
    func everySharedFile() throws {
        var report: [String] = []
        for name in Self.files() {
            let path = Self.folder! + name
            do {
                let (events, reader) = try ImportFixtures.importAll(path)
                report.append("\(name): \(events.count) requests" + (reader.truncated ? " (truncated)" : ""))
                if let want = Self.expected[name] { #expect(want == events.count, "\(name)") }
            } catch let e as ImportError {
                report.append("\(name): ERROR \(e)")
                #expect(!e.description.contains("\n"))
                if let want = Self.expected[name] { #expect(want == nil, "\(name): \(e)") }
            }
        }
        if let folder = Self.folder, Self.files().contains("wa_proc_interrupts_before.txt") {
            let spec = "procint:before=\(folder)wa_proc_interrupts_before.txt;after=\(folder)wa_proc_interrupts_after.txt;duration_ms=1000"
            let (events, reader) = try ImportFixtures.importAll(spec)
            report.append("wa_proc_interrupts before+after, 1 s: \(events.count) requests on \((reader as! ProcInterruptsReader).rates.count) IRQs")
            #expect(events.count == 28_774)
        }
        print(report.map { "shared trace: " + $0 }.joined(separator: "\n"))
        #expect(!report.isEmpty)
    }
}
