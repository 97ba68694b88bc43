/// One row of a replay's timeline (docs/timeline.md defines every field): a request and the
/// times it passed through, or a guest handler's service start. A field that does not apply to
/// the row, or a time that never came, is nil.
public struct TimelineRow: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case request
        case serviceStart = "service_start"
    }

    public var kind: Kind
    /// Request rows: the record's 1-based number in replay order (as the trace readers' messages
    /// number records).
    public var record: UInt64? = nil
    /// Service-start rows: the handler's 0-based position among the replay's service starts.
    public var position: UInt64? = nil
    public var source: Int
    /// Whether the source is host-owned (docs/model.md §2.1 `owner`).
    public var hostOwned: Bool
    /// Request rows: the hart whose claim is `claim`. Service-start rows: the vCPU's hart.
    public var hart: Int? = nil
    public var arrival: UInt64? = nil
    public var claim: UInt64? = nil
    public var guestClaim: UInt64? = nil
    /// The start of the step that takes the request (guest service or `host_isr`); on
    /// service-start rows, the service start itself.
    public var start: UInt64? = nil
    public var done: UInt64? = nil
    /// The units that step took (docs/model.md §4).
    public var n: UInt64? = nil

    public init(kind: Kind, source: Int, hostOwned: Bool) {
        self.kind = kind
        self.source = source
        self.hostOwned = hostOwned
    }
}

/// Where a replay's timeline rows go (`ReplayEngine.run(_:timeline:)`), in the order the replay
/// produces them. A sink is driven by one replay on one thread.
public protocol TimelineSink: AnyObject {
    func add(_ row: TimelineRow)
}

/// A guest handler's service step starting (docs/model.md G.8's diagnostic): when, for which
/// source, and the units it took (n = 0: a spurious handler). A view of the timeline's
/// service-start rows.
public struct ServiceStart: Equatable, Sendable {
    public var time: UInt64
    public var source: Int
    public var units: UInt64
    public init(time: UInt64, source: Int, units: UInt64) {
        self.time = time
        self.source = source
        self.units = units
    }
}

/// A sink that keeps every row in memory: for tests and small traces (a file sink streams).
public final class TimelineRows: TimelineSink {
    public private(set) var rows: [TimelineRow] = []
    public init() {}
    public func add(_ row: TimelineRow) { rows.append(row) }

    /// The request rows.
    public var requests: [TimelineRow] { rows.filter { $0.kind == .request } }

    /// The service-start rows, in order.
    public var serviceStarts: [ServiceStart] {
        rows.filter { $0.kind == .serviceStart }.map { ServiceStart(time: $0.start!, source: $0.source, units: $0.n!) }
    }
}
