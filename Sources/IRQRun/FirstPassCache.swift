import IRQTrace
import Synchronization

/// The first passes of the traces a sweep replays, by path: the first replay of a native trace
/// reads it twice (its first pass: record count, order, SHA-256, on a thread of its own beside
/// the replay; then the replay), every later replay of the same unchanged file reads it once
/// (`TraceInput.open(path:options:reusing:)`, docs/performance.md). Shared by a sweep's workers.
public final class FirstPassCache: Sendable {
    private let passes = Mutex<[String: FirstPass]>([:])

    public init() {}

    /// Opens `path` with an earlier first pass of it when there is one for the file as it is now.
    public func open(path: String, options: TraceOptions) throws -> TraceInput {
        let earlier = passes.withLock { $0[path] }
        let input = try TraceInput.open(path: path, options: options, reusing: earlier)
        keep(input.firstPass, for: path, earlier: earlier)
        return input
    }

    /// `TraceInput.reading(path:options:reusing:_:)` with an earlier first pass of `path` when
    /// there is one for the file as it is now, keeping the first pass it found.
    public func reading<R>(path: String, options: TraceOptions,
                           _ body: (TraceInput) throws -> R) throws -> (result: R, input: TraceInput) {
        let earlier = passes.withLock { $0[path] }
        let read = try TraceInput.reading(path: path, options: options, reusing: earlier, body)
        keep(read.input.firstPass, for: path, earlier: earlier)
        return read
    }

    private func keep(_ found: FirstPass?, for path: String, earlier: FirstPass?) {
        if let found, earlier?.identity != found.identity || earlier?.options != found.options {
            passes.withLock { $0[path] = found }
        }
    }
}
