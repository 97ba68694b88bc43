/// The kind of a trace record (docs/traces.md, native payload byte 2).
public enum RequestKind: UInt8, Sendable, CaseIterable {
    /// A level request: raises the device line until its work is consumed.
    case level = 1
    /// An edge: one edge per record, whatever its count.
    case edge = 2

    /// The spelling used by the text format (`level` / `edge`).
    public var name: String { self == .level ? "level" : "edge" }

    public init?(name: String) {
        switch name {
        case "level": self = .level
        case "edge": self = .edge
        default: return nil
        }
    }
}

/// One trace record: at `time` (ns), `count` units of device work arrive on PLIC source `source`.
public struct TraceEvent: Equatable, Hashable, Sendable {
    public var time: UInt64
    public var source: UInt16
    public var kind: RequestKind
    public var count: UInt32

    public init(time: UInt64, source: UInt16, kind: RequestKind, count: UInt32) {
        self.time = time
        self.source = source
        self.kind = kind
        self.count = count
    }

    /// Valid PLIC source IDs (source 0 means "no interrupt" in a claim).
    public static let sourceRange: ClosedRange<UInt16> = 1...1023
}

/// A forward-only stream of trace events in replay order: times are relative to the earliest
/// event and never decrease. The replay engine consumes exactly this.
public protocol TraceStream {
    /// The next event, or nil at the end of the trace.
    mutating func next() throws -> TraceEvent?

    /// The next events, as `next()` would give them, into `buffer` (at most `capacity` of them, at
    /// least one unless the trace has ended): how many. A stream that can give several at once
    /// (a native trace's records, decoded in one loop) stops before an event that `next()` would
    /// reject, so that the error comes from the call that reaches it, as through `next()`. The
    /// replay's record feed reads through this (docs/performance.md).
    mutating func next(into buffer: UnsafeMutablePointer<TraceEvent>, capacity: Int) throws -> Int
}

extension TraceStream {
    /// One event at a time.
    @inlinable
    public mutating func next(into buffer: UnsafeMutablePointer<TraceEvent>, capacity: Int) throws -> Int {
        guard capacity > 0, let e = try next() else { return 0 }
        buffer[0] = e
        return 1
    }
}

/// A stream over events already in memory (tests, generators). The events must already be in
/// replay order; use `TraceEvent.normalized` first when they are not.
public struct ArrayTraceStream: TraceStream {
    private let events: [TraceEvent]
    private var index = 0

    public init(_ events: [TraceEvent]) { self.events = events }

    public mutating func next() throws -> TraceEvent? {
        guard index < events.count else { return nil }
        defer { index += 1 }
        return events[index]
    }
}

extension Array where Element == TraceEvent {
    /// docs/traces.md "Rules for every input" for in-memory events: a stable sort by time, then times
    /// made relative to the earliest event. Returns the events and how many records went backwards.
    public func normalized() -> (events: [TraceEvent], reordered: Int) {
        var reordered = 0
        var latest: UInt64 = 0
        for (i, e) in enumerated() {
            if i > 0 && e.time < latest { reordered += 1 }
            latest = Swift.max(latest, e.time)
        }
        var sorted = self
        if reordered > 0 {
            // Stable: ties keep file order.
            sorted = enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
                .map(\.element)
        }
        let origin = sorted.first?.time ?? 0
        for i in sorted.indices { sorted[i].time -= origin }
        return (sorted, reordered)
    }
}

/// A reader of one file's records in file order, with times as recorded (absolute ns of the file's
/// own clock). Every format (native, text, imported recordings) provides one; `TraceInput` turns
/// it into a `TraceStream` (stable sort, times relative to the earliest event).
public protocol TraceRecordReader: AnyObject {
    /// The next record in file order, or nil at the end. Errors name the file and the record.
    func nextRecord() throws -> TraceEvent?
    /// True once the reader found the file ending inside its last record (docs/traces.md: replay what
    /// is complete, warn, and record it in the results).
    var truncated: Bool { get }
    /// What the reader did that a user should know (IRQ-to-source mapping, skipped lines, ...).
    var notes: [String] { get }
}

extension TraceEvent {
    /// The latest time any trace may hold: what the native format can store (a 32-bit unsigned
    /// seconds field plus 999,999,999 ns, early 2106 as a Unix time). Readers reject later times
    /// as absurd instead of wrapping, so no later arithmetic on trace times can overflow `UInt64`.
    public static let maxTime: UInt64 = UInt64(UInt32.max) * 1_000_000_000 + 999_999_999
}
