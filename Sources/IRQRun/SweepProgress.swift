import Dispatch
import IRQResults
import Synchronization

/// "sweep 120/2000 replays (6%), 14.2/s, ETA 2m12s: <last replay>" on the progress line (which
/// draws on a terminal only). The rate is over the whole run so far, so the ETA settles as the
/// mix of cheap and expensive replays evens out.
public final class SweepProgress: Sendable {
    struct State { var total = 0; var done = 0; var startNs: UInt64 = 0 }
    let line: ProgressLine
    let now: @Sendable () -> UInt64
    let state = Mutex(State())

    public init(line: ProgressLine, now: @escaping @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }) {
        self.line = line
        self.now = now
    }

    func start(total: Int) {
        let t = now()
        state.withLock { $0 = State(total: total, done: 0, startNs: t) }
    }

    func advance(_ what: String) {
        let t = now()
        let text = state.withLock { s -> String in
            s.done += 1
            return Self.text(done: s.done, total: s.total, elapsedNs: t &- s.startNs) + ": " + what
        }
        line.update(text)
    }

    func finish() { line.finish() }

    public static func text(done: Int, total: Int, elapsedNs: UInt64) -> String {
        let percent = total > 0 ? done * 100 / total : 100
        var s = "sweep \(done)/\(total) replays (\(percent)%)"
        let seconds = Double(elapsedNs) / 1e9
        if done > 0 && seconds > 0 {
            let rate = Double(done) / seconds
            s += ", " + (rate >= 10 ? String(Int(rate.rounded())) : String(format: "%.1f", rate)) + "/s"
            s += ", ETA " + clock(Double(total - done) / rate)
        }
        return s
    }

    /// 45s, 2m05s, 1h02m.
    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.up))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" + (s % 60 < 10 ? "0" : "") + "\(s % 60)s" }
        return "\(s / 3600)h" + ((s % 3600) / 60 < 10 ? "0" : "") + "\((s % 3600) / 60)m"
    }
}
