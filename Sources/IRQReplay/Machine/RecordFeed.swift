import IRQTrace

/// The trace records not yet applied (docs/model.md §1 phase 1): the next one, how many were
/// applied, and the progress countdown. The run loop and a fast-forwarded storm take records from
/// the same feed; the storm looks ahead (`peek`) to find where its cycles must stop, into a
/// window of at most `lookahead` records allocated at set-up.
struct RecordFeed<S: TraceStream>: ~Copyable {
    var trace: S
    /// The next record to apply.
    private(set) var pending: TraceEvent?
    /// The next record's time; .max after the last.
    private(set) var nextTime: UInt64
    /// Records applied so far.
    private(set) var read: UInt64 = 0
    // Records until the next progress call: a countdown rather than `read % interval`, whose
    // 64-bit division per record showed in the profile (docs/performance.md).
    private var untilProgress: UInt64
    private let progressInterval: UInt64
    /// Records read after `pending`, in order: a ring of `lookahead` entries. The stream fills it
    /// a run at a time (`TraceStream.next(into:capacity:)`, at most `batch` records when nothing
    /// looks further ahead), which costs less per record than one call per record.
    private let ahead: UnsafeMutablePointer<TraceEvent>
    private var aheadStart = 0
    private var aheadCount = 0
    static var lookahead: Int { 4096 }
    /// Records read from the stream at a time for `advance`: enough to take most of a call's cost
    /// off each record, few enough (4 KB) to stay in the first-level cache.
    static var batch: Int { 256 }
    /// The last record taken from the stream (for its order check) and how many were taken.
    private var lastTime: UInt64 = 0
    private var pulled: UInt64 = 0

    init(_ trace: S, progressInterval: UInt64) throws {
        self.trace = trace
        ahead = .allocate(capacity: Self.lookahead)
        self.progressInterval = max(progressInterval, 1)
        untilProgress = self.progressInterval
        nextTime = .max
        pending = try pull()
        nextTime = pending?.time ?? .max
    }

    deinit { ahead.deallocate() }

    /// The next record of the stream, checked to keep time order.
    @inline(__always)
    private mutating func pull() throws -> TraceEvent? {
        if aheadCount == 0 {
            aheadStart = 0
            guard try fill(upTo: Self.batch) else { return nil }
        }
        return take()
    }

    /// Reads records from the stream into the ring after the ones it holds, at most `limit` in all
    /// (in one call to the stream, so at most to the ring's end), each checked to keep time order;
    /// false at the end of the trace.
    private mutating func fill(upTo limit: Int) throws -> Bool {
        let at = (aheadStart + aheadCount) & (Self.lookahead - 1)
        let room = min(limit - aheadCount, Self.lookahead - at)
        let n = try trace.next(into: ahead + at, capacity: room)
        for i in 0..<n {
            let e = ahead[at + i]
            pulled += 1
            if pulled > 1 && e.time < lastTime {
                throw ReplayError("trace record \(pulled) goes back in time (\(e.time) < \(lastTime)): the trace stream must be sorted")
            }
            lastTime = e.time
        }
        aheadCount += n
        return n > 0
    }

    /// The first record of the ring, taken out of it.
    @inline(__always)
    private mutating func take() -> TraceEvent {
        let e = ahead[aheadStart]
        aheadStart = (aheadStart + 1) & (Self.lookahead - 1)
        aheadCount -= 1
        return e
    }

    /// The pending record was applied: counts it, reports progress, moves to the next.
    @inline(__always)
    mutating func advance(_ progress: (@Sendable (UInt64) -> Void)?) throws {
        read += 1
        untilProgress -= 1
        if untilProgress == 0 {
            untilProgress = progressInterval
            progress?(read)
        }
        pending = try pull()
        nextTime = pending?.time ?? .max
    }

    /// The record `i` places after `pending` (1: the one after it), reading ahead as needed; nil
    /// past the end of the trace or past the look-ahead window.
    mutating func peek(_ i: Int) throws -> TraceEvent? {
        if i == 0 { return pending }
        guard i <= Self.lookahead, pending != nil else { return nil }
        while aheadCount < i {
            guard try fill(upTo: Self.lookahead) else { return nil }
        }
        return ahead[(aheadStart + i - 1) & (Self.lookahead - 1)]
    }
}
