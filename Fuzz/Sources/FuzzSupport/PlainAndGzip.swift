import IRQTrace

/// The check of the readers that go through zlib (text traces, ftrace): each input is read as
/// given and, unless it is gzip already, once more gzip-compressed; both reads must give the same
/// records or the same error. The gzip copy makes the fuzzer's structured text reach the gzip path.
public struct PlainAndGzip: Sendable {
    private let plain: ScratchFile
    private let packed: ScratchFile

    /// Scratch files `name` and `name.gz`.
    public init(_ name: String) {
        plain = ScratchFile(name)
        packed = ScratchFile(name + ".gz")
    }

    /// `read` reads one file (and does the target's own checks); `sameError` says whether two of
    /// its errors are the same (place and message).
    public func check<E: Error>(_ bytes: UnsafeRawBufferPointer,
                                read: (String) -> Result<[TraceEvent], E>,
                                sameError: (E, E) -> Bool) {
        plain.write(bytes)
        let a = read(plain.path)
        guard !(bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B) else { return }
        packed.write(Gzip.compress(bytes))
        let b = read(packed.path)
        switch (a, b) {
        case (.success(let x), .success(let y)):
            precondition(x == y, "plain and gzip give different records")
        case (.failure(let x), .failure(let y)):
            precondition(sameError(x, y), "plain and gzip give different errors: \(x) / \(y)")
        default:
            preconditionFailure("plain and gzip disagree: \(a) / \(b)")
        }
    }
}
