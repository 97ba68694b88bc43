/// The machine's timeline hooks (docs/timeline.md), all in one place. Each is called only when
/// `timeline` is set (`if timeline != nil { ... }` at the point where the matching metric of
/// docs/model.md §9 is recorded) and kept out of line, so a replay without a timeline carries no
/// more than that test on its path.
extension Machine {
    /// A record arrived as the ledger's request `node` (`apply`).
    @inline(never)
    func timelineArrived(_ node: Int32, record number: UInt64, source s: Int, at t: UInt64) {
        timeline!.arrived(node, record: number, source: s, at: t, hostOwned: isHost[s])
    }

    /// Hart `h`'s claim of `irq` took effect now (`claimed`, on every family).
    @inline(never)
    func timelineClaimed(_ irq: Int, on h: Int) {
        timeline!.claimed(source: irq, hart: h, at: now, ledger: ledger)
    }

    /// A fast-forwarded storm's `count` claims (StormFastForward.swift).
    @inline(never)
    func timelineClaimed(_ irq: Int, on h: Int, first: UInt64, period: UInt64, count: UInt64) {
        timeline!.claimed(source: irq, hart: h, first: first, period: period, count: count, ledger: ledger)
    }

    /// The handler of `s` started now with `n` units (the guest's service, with the vclaim
    /// effect, or `host_isr`), after the ledger handed it the source's requests.
    @inline(never)
    func timelineTaken(_ s: Int, units n: UInt64, guestClaimAt vclaim: UInt64?) {
        timeline!.taken(source: s, at: now, units: n, guestClaimAt: vclaim, ledger: ledger)
    }

    /// The handler of `s` ends now, before the ledger frees its requests.
    @inline(never)
    func timelineDone(_ s: Int) {
        timeline!.done(source: s, at: now, ledger: ledger)
    }

    /// The replay ended: the requests never done.
    func timelineFinished() {
        timeline?.finish(ledger: ledger)
    }
}
