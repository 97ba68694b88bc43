/// A libpcap failure: the C function that failed and libpcap's own message
/// (`pcap_geterr` or the open call's error buffer), so users see what libpcap saw.
public struct PcapError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The libpcap function that reported the failure, e.g. `"pcap_next_ex"`.
    public var function: String
    /// libpcap's message, unchanged.
    public var message: String
    /// The function's return code (PCAP_ERROR = -1 when it had none to give).
    public var code: Int32

    public init(function: String, message: String, code: Int32 = -1) {
        self.function = function
        self.message = message
        self.code = code
    }

    /// libpcap's savefile reader says "truncated dump file; ..." when the file ends inside a
    /// record header or inside a record's captured bytes: the capture was cut short, and the
    /// records before it are intact (docs/traces.md: replay them, warn).
    public var isTruncatedFile: Bool { message.hasPrefix("truncated dump file") }

    public var description: String { "\(function): \(message)" }
}
