/// Where in an imported file a problem was found. Every error names one place so a user can
/// look at it with a hex dump or an editor.
public enum ImportLocation: Equatable, Sendable, CustomStringConvertible {
    /// The file header (pcap global header, pcapng first section header, snapshot header).
    case header
    /// A record (packet, event) by its 1-based index in file order (as `TraceError`), with its
    /// byte offset when known.
    case record(index: Int, byteOffset: UInt64?)
    /// A pcapng block by its 1-based index and byte offset (blocks that hold no packet).
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

/// A malformed or unsupported imported recording. `description` is the one line docs/traces.md asks
/// for: file, place, what is wrong.
public struct ImportError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var location: ImportLocation
    public var message: String
    public var kind: TraceError.Kind

    public init(file: String, _ location: ImportLocation, _ message: String, kind: TraceError.Kind = .malformed) {
        self.file = file
        self.location = location
        self.message = message
        self.kind = kind
    }

    /// Same shapes as `TraceError`: `FILE:LINE: ...` for text, `FILE: record N ...: ...` else.
    public var description: String {
        switch location {
        case .line(let n): return "\(file):\(n): \(message)"
        case .file: return "\(file): \(message)"
        default: return "\(file): \(location): \(message)"
        }
    }

    /// The project-wide error type, for the trace opener.
    public var traceError: TraceError {
        switch location {
        case .record(let n, let offset?): return TraceError(kind, file: file, at: .record(n), "(byte \(offset)) \(message)")
        case .record(let n, nil): return TraceError(kind, file: file, at: .record(n), message)
        case .line(let n): return TraceError(kind, file: file, at: .line(n), message)
        case .file: return TraceError(kind, file: file, message)
        case .header, .block: return TraceError(kind, file: file, "\(location): \(message)")
        }
    }
}
