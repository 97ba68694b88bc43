import HeapModule

/// The latency a timeline ranks requests by (`irqbench run --timeline F --worst N --worst-by X`):
/// each is a per-request distribution of docs/model.md §9, and a request's key is exactly its
/// sample in that distribution.
public enum TimelineLatency: String, CaseIterable, Sendable {
    case requestToDone = "request_to_done"
    case requestToGuest = "request_to_guest"
    case hostLatency = "host_latency"

    /// The request's latency; `.max` for a request the distribution covers that never got there
    /// (never done, never reached the guest, never claimed), which ranks it worst; nil for a
    /// request the distribution does not cover (a host-owned one for `request_to_guest`, a
    /// guest-owned one for `host_latency`).
    public func key(_ r: TimelineRow) -> UInt64? {
        guard r.kind == .request, let arrival = r.arrival else { return nil }
        let end: UInt64?
        switch self {
        case .requestToDone: end = r.done
        case .requestToGuest:
            guard !r.hostOwned else { return nil }
            end = r.guestClaim
        case .hostLatency:
            guard r.hostOwned else { return nil }
            end = r.claim
        }
        return end.map { $0 - arrival } ?? .max
    }
}

/// A sink that keeps only the `limit` worst request rows by `latency` (a heap of at most `limit`
/// rows, whatever the trace's length) and drops every other row. Worse means a larger latency;
/// at equal latency the earlier record ranks first, so the choice never depends on the order
/// rows arrive in.
public final class WorstRequests: TimelineSink {
    public let limit: Int
    public let latency: TimelineLatency
    private var heap = Heap<Ranked>()

    struct Ranked: Comparable {
        var key: UInt64
        var row: TimelineRow
        /// `a < b`: a is less bad than b.
        static func < (a: Ranked, b: Ranked) -> Bool {
            a.key != b.key ? a.key < b.key : a.row.record! > b.row.record!
        }
        static func == (a: Ranked, b: Ranked) -> Bool { a.key == b.key && a.row.record == b.row.record }
    }

    public init(limit: Int, by latency: TimelineLatency) {
        precondition(limit >= 1, "--worst takes at least 1")
        self.limit = limit
        self.latency = latency
    }

    public func add(_ row: TimelineRow) {
        guard let key = latency.key(row) else { return }
        let r = Ranked(key: key, row: row)
        if heap.count < limit {
            heap.insert(r)
        } else if heap.min! < r {
            _ = heap.replaceMin(with: r)
        }
    }

    /// The rows kept, worst first.
    public var rows: [TimelineRow] {
        var h = heap
        var out: [TimelineRow] = []
        out.reserveCapacity(h.count)
        while let r = h.popMax() { out.append(r.row) }
        return out
    }
}
