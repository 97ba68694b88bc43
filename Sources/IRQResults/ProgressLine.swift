import Foundation
import Synchronization

/// One status line on standard error that redraws in place ("\r" + text + erase to end of line).
///
/// Silent when standard error is not a terminal, so logs and CI output stay clean. Updates are
/// rate-limited (default at most 10 per second) because replays can report progress millions of
/// times a second and a terminal redraw costs a system call. Safe to call from parallel replays.
public final class ProgressLine: Sendable {
    struct State {
        var lastDraw: UInt64?
        var drawnWidth = 0
        var pending: String?
    }

    private let enabled: Bool
    private let minIntervalNs: UInt64
    private let write: @Sendable (String) -> Void
    private let now: @Sendable () -> UInt64
    private let width: @Sendable () -> Int
    private let state = Mutex(State())

    /// - Parameters:
    ///   - isTerminal: whether to draw at all; by default whether fd 2 is a terminal.
    ///   - write, now, width: the output, a monotonic nanosecond clock and the terminal width;
    ///     replaceable for tests.
    public init(isTerminal: Bool = isatty(2) != 0, maxUpdatesPerSecond: Double = 10,
                write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) },
                now: @escaping @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds },
                width: @escaping @Sendable () -> Int = terminalColumns) {
        enabled = isTerminal
        minIntervalNs = maxUpdatesPerSecond > 0 ? UInt64(1e9 / maxUpdatesPerSecond) : 0
        self.write = write
        self.now = now
        self.width = width
    }

    /// Shows `text` unless the previous redraw was too recent; the latest skipped text is kept and
    /// shown by the next update that is allowed to draw or by `flush()`.
    public func update(_ text: String) {
        guard enabled else { return }
        let t = now()
        let out: String? = state.withLock { s in
            if let last = s.lastDraw, t &- last < minIntervalNs {
                s.pending = text
                return nil
            }
            s.lastDraw = t
            s.pending = nil
            return redraw(text, &s)
        }
        if let out { write(out) }
    }

    /// Draws the latest text that the rate limit held back, if any.
    public func flush() {
        guard enabled else { return }
        let out: String? = state.withLock { s in
            guard let p = s.pending else { return nil }
            s.pending = nil
            s.lastDraw = now()
            return redraw(p, &s)
        }
        if let out { write(out) }
    }

    /// Erases the line, so that what is printed next starts on a clean line.
    public func finish() {
        guard enabled else { return }
        let out: String? = state.withLock { s in
            s.pending = nil
            guard s.drawnWidth > 0 else { return nil }
            s.drawnWidth = 0
            return "\r\u{1B}[K"
        }
        if let out { write(out) }
    }

    private func redraw(_ text: String, _ s: inout State) -> String {
        // One character short of the width: writing the last column makes some terminals wrap.
        let limit = max(10, width() - 1)
        let line = text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
        s.drawnWidth = line.count
        return "\r" + line + "\u{1B}[K"
    }
}

/// Columns of the terminal on standard error, 80 when unknown.
@Sendable public func terminalColumns() -> Int {
    var ws = winsize()
    #if os(Linux)
    let request = UInt(TIOCGWINSZ)
    #else
    let request = TIOCGWINSZ
    #endif
    if ioctl(2, request, &ws) == 0, ws.ws_col > 0 { return Int(ws.ws_col) }
    if let c = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), c > 0 { return c }
    return 80
}
