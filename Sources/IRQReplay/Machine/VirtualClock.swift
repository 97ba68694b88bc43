/// Virtual time of a replay (docs/model.md §1), in the manner of NIOEmbedded's clock: it starts
/// at zero, only moves forward, and happenings scheduled for the same instant are ordered by the
/// sequence number they got when they were scheduled.
struct VirtualClock {
    /// Nanoseconds since the earliest trace event.
    private(set) var now: UInt64 = 0
    private var lastSequence: UInt64 = 0
    /// The last sequence number given out (0 before the first).
    var sequence: UInt64 { lastSequence }

    /// Moves to `t`, which is never earlier than `now` (the engine always takes the earliest
    /// happening next).
    @inline(__always)
    mutating func advance(to t: UInt64) {
        precondition(t >= now, "virtual time cannot go back (\(t) < \(now))")
        now = t
    }

    /// The order of a happening being scheduled now, among those due at the same instant.
    @inline(__always)
    mutating func nextSequence() -> UInt64 {
        lastSequence &+= 1
        return lastSequence
    }
}
