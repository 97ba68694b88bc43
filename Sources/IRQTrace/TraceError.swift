/// Why a trace could not be read or written. Its description is the one line a user sees:
/// `FILE: record N: what is wrong` (native and imported binary formats), `FILE:LINE: what is
/// wrong` (text formats) or `FILE: what is wrong` (the file as a whole).
///
/// Record indexes are 1-based, like line numbers: "record 1" is the first record of the file.
public struct TraceError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The content breaks the format's rules.
        case malformed
        /// A format this build recognises but cannot read (yet), or a variant it refuses.
        case unsupported
        /// The file ends inside its last record and `TraceOptions.strict` is set.
        case truncated
        /// The file cannot be opened, read or written.
        case io
    }

    public enum Location: Sendable, Equatable {
        /// 1-based record index (binary formats).
        case record(Int)
        /// 1-based line number (text formats).
        case line(Int)
    }

    public var kind: Kind
    /// The file as the user named it.
    public var file: String
    public var location: Location?
    /// What is wrong, without the file name.
    public var reason: String

    public init(_ kind: Kind, file: String, at location: Location? = nil, _ reason: String) {
        self.kind = kind
        self.file = file
        self.location = location
        self.reason = reason
    }

    public var description: String {
        switch location {
        case .record(let n): "\(file): record \(n): \(reason)"
        case .line(let n): "\(file):\(n): \(reason)"
        case nil: "\(file): \(reason)"
        }
    }
}
