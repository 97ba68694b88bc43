import IRQTrace
import Synchronization

/// The first passes of the traces a sweep replays, by path: the first replay of a native trace
/// reads it twice (its first pass: record count, order, SHA-256; then the replay), every later
/// replay of the same unchanged file reads it once (`TraceInput.open(path:options:reusing:)`,
/// docs/performance.md). Shared by a sweep's workers.
public final class FirstPassCache: Sendable {
    private let passes = Mutex<[String: FirstPass]>([:])

    public init() {}

    /// Opens `path` with an earlier first pass of it when there is one for the file as it is now.
    public func open(path: String, options: TraceOptions) throws -> TraceInput {
        let earlier = passes.withLock { $0[path] }
        let input = try TraceInput.open(path: path, options: options, reusing: earlier)
        if let found = input.firstPass, earlier?.identity != found.identity || earlier?.options != found.options {
            passes.withLock { $0[path] = found }
        }
        return input
    }
}
