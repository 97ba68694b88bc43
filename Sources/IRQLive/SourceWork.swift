import Synchronization

/// The device side of one source (docs/model.md §4): the units of work waiting and the requests
/// they came from, shared by the device thread (adds) and the handler that consumes them. The
/// line is set under the same lock as the work count, so a rise and a fall can never be applied
/// in the opposite order to the work they stand for.
final class SourceWork: Sendable {
    struct Request { var intended: UInt64; var arrived: UInt64; var count: UInt32 }
    struct State {
        var units: UInt64 = 0
        var requests: [Request] = []
    }

    let id: Int
    let edge: Bool
    private let state = Mutex(State())

    init(id: Int, edge: Bool, capacity: Int) {
        self.id = id
        self.edge = edge
        state.withLock { $0.requests.reserveCapacity(capacity) }
    }

    /// A request arrives: its units are added, then the line rises (level) or an edge is sent.
    func arrive(_ r: Request, controller: any LiveController) {
        state.withLock { s in
            s.units += UInt64(r.count)
            s.requests.append(r)
            if !edge { controller.raise(id, kind: .level) }
        }
        if edge { controller.raise(id, kind: .edge) }
    }

    /// A handler starts: it takes every unit present (n) and the requests they belong to,
    /// appended to `into`.
    func take(into: inout [Request]) -> UInt64 {
        state.withLock { s in
            let n = s.units
            into.append(contentsOf: s.requests)
            s.requests.removeAll(keepingCapacity: true)
            return n
        }
    }

    /// The handler's step ends: its n units are gone; a level line falls when no work is left.
    func finish(units n: UInt64, controller: any LiveController) {
        state.withLock { s in
            s.units -= n
            if !edge && s.units == 0 { controller.lower(id) }
        }
    }
}
