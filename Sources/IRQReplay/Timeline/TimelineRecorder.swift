/// Keeps the times of docs/timeline.md for every request while a replay runs, and hands each row
/// to the sink as soon as it is final: a request's row when its handler ends (or at the end of the
/// replay for a request never done), a service start when it happens.
///
/// The machine holds one only when a timeline was asked for, and calls it at the points where it
/// records the matching metrics of docs/model.md §9 (arrival, claim, service start, the end of the
/// handler): a replay without a timeline pays one nil check at each. What it keeps per request is
/// indexed by the request's node in the machine's `RequestLedger`, whose lists it walks read-only,
/// so it holds no more than the ledger does: the requests not yet done.
final class TimelineRecorder {
    let sink: any TimelineSink
    let guestHart: Int

    // Per ledger node.
    private var record: [UInt64] = []
    private var arrival: [UInt64] = []
    private var claim: [UInt64] = []
    private var claimHart: [Int32] = []
    private var guestClaim: [UInt64] = []
    private var start: [UInt64] = []
    private var units: [UInt64] = []
    private static let none = UInt64.max

    // Per source: the first outstanding request not yet claimed (those after it in the source's
    // outstanding list are unclaimed too: a claim reaches every request that arrived before it),
    // or -1; and the owner.
    private var firstUnclaimed = [Int32](repeating: -1, count: 1024)
    private var hostOwned = [Bool](repeating: false, count: 1024)
    private var serviceStarts: UInt64 = 0

    init(sink: any TimelineSink, guestHart: Int) {
        self.sink = sink
        self.guestHart = guestHart
    }

    /// A record arrived as request `node` of the ledger.
    func arrived(_ node: Int32, record number: UInt64, source s: Int, at t: UInt64, hostOwned host: Bool) {
        let i = Int(node)
        if i >= record.count {
            let size = max(i + 1, record.count * 2, 1024)
            for p in [\TimelineRecorder.record, \.arrival, \.claim, \.guestClaim, \.start, \.units] {
                self[keyPath: p] += repeatElement(0, count: size - self[keyPath: p].count)
            }
            claimHart += repeatElement(0, count: size - claimHart.count)
        }
        record[i] = number
        arrival[i] = t
        claim[i] = Self.none
        claimHart[i] = -1
        guestClaim[i] = Self.none
        start[i] = Self.none
        units[i] = Self.none
        hostOwned[s] = host
        if firstUnclaimed[s] < 0 { firstUnclaimed[s] = node }
    }

    /// A physical claim of `s` on hart `h` took effect now: it is the claim of every request of
    /// `s` that arrived since the last one and has not been taken.
    func claimed(source s: Int, hart h: Int, at t: UInt64, ledger: borrowing RequestLedger) {
        var i = firstUnclaimed[s]
        while i >= 0 {
            claim[Int(i)] = t
            claimHart[Int(i)] = Int32(h)
            i = ledger.node(after: i)
        }
        firstUnclaimed[s] = -1
    }

    /// `count` claims of `s` on hart `h` at `first`, `first + period`, ... (a fast-forwarded storm,
    /// whose records were applied before): each unclaimed request gets the first at or after its
    /// arrival; those that arrived after the last stay unclaimed.
    func claimed(source s: Int, hart h: Int, first: UInt64, period: UInt64, count: UInt64,
                 ledger: borrowing RequestLedger) {
        guard count > 0 else { return }
        let last = first + (count - 1) * period
        var i = firstUnclaimed[s]
        while i >= 0 && arrival[Int(i)] <= last {
            let a = arrival[Int(i)]
            claim[Int(i)] = a <= first ? first : first + (a - first + period - 1) / period * period
            claimHart[Int(i)] = Int32(h)
            i = ledger.node(after: i)
        }
        firstUnclaimed[s] = i
    }

    /// The handler of `s` (the guest's service when `guestClaimAt` is set, else `host_isr`) started
    /// now with `n` units and took the source's outstanding requests (`ledger.take` ran): a request
    /// not claimed by now keeps no claim (it rides on an interrupt claimed before it arrived).
    func taken(source s: Int, at t: UInt64, units n: UInt64, guestClaimAt vclaim: UInt64?,
               ledger: borrowing RequestLedger) {
        firstUnclaimed[s] = -1
        var i = ledger.firstTaken(source: s)
        while i >= 0 {
            let k = Int(i)
            start[k] = t
            units[k] = n
            if let v = vclaim { guestClaim[k] = arrival[k] <= v ? v : t }
            i = ledger.node(after: i)
        }
        guard vclaim != nil else { return }
        var row = TimelineRow(kind: .serviceStart, source: s, hostOwned: false)
        row.position = serviceStarts
        row.hart = guestHart
        row.start = t
        row.n = n
        serviceStarts += 1
        sink.add(row)
    }

    /// The handler of `s` ends now: its requests are done (call before `ledger.finish`).
    func done(source s: Int, at t: UInt64, ledger: borrowing RequestLedger) {
        var i = ledger.firstTaken(source: s)
        while i >= 0 {
            sink.add(row(i, source: s, done: t))
            i = ledger.node(after: i)
        }
    }

    /// The replay ended: the requests never done, source by source, each in arrival order (those
    /// a handler had taken first).
    func finish(ledger: borrowing RequestLedger) {
        for s in 0..<1024 {
            for first in [ledger.firstTaken(source: s), ledger.firstOutstanding(source: s)] {
                var i = first
                while i >= 0 {
                    sink.add(row(i, source: s, done: nil))
                    i = ledger.node(after: i)
                }
            }
        }
    }

    private func row(_ node: Int32, source s: Int, done: UInt64?) -> TimelineRow {
        let k = Int(node)
        func time(_ v: UInt64) -> UInt64? { v == Self.none ? nil : v }
        var r = TimelineRow(kind: .request, source: s, hostOwned: hostOwned[s])
        r.record = record[k]
        r.arrival = arrival[k]
        r.claim = time(claim[k])
        r.hart = claimHart[k] < 0 ? nil : Int(claimHart[k])
        r.guestClaim = time(guestClaim[k])
        r.start = time(start[k])
        r.n = time(units[k])
        r.done = done
        return r
    }
}
