/// Where in an imported file a problem was found. Every error names one place so a user can
/// look at it with a hex dump or an editor.
public enum ImportLocation: Equatable, Sendable, CustomStringConvertible {
    /// The file header (pcap global header, pcapng first section header, snapshot header).
    case header
    /// A record (packet, event) by its 0-based index in file order, with its byte offset when known.
    case record(index: Int, byteOffset: UInt64?)
    /// A pcapng block by its 0-based index and byte offset (blocks that hold no packet).
    case block(index: Int, byteOffset: UInt64)
    /// A 1-based line of a text file.
    case line(Int)
    /// The file as a whole (cannot open, empty, ...).
    case file

    public var description: String {
        switch self {
        case .header: return "header"
        case .record(let i, let off?): return "record \(i) (byte \(off))"
        case .record(let i, nil): return "record \(i)"
        case .block(let i, let off): return "block \(i) (byte \(off))"
        case .line(let n): return "line \(n)"
        case .file: return "file"
        }
    }
}

/// A malformed or unsupported imported recording. `description` is the one line TRACES.md asks
/// for: file, place, what is wrong.
public struct ImportError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var location: ImportLocation
    public var message: String

    public init(file: String, _ location: ImportLocation, _ message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    public var description: String { "\(file): \(location): \(message)" }
}
