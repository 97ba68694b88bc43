/// The guest's virtual PLIC (docs/model.md §6): per vIRQ a pending and an in-service bit.
///
/// The vIRQ's priority is its source's configured priority, fixed at set-up: masking the
/// physical source does not change what the guest sees.
public final class VPLIC: @unchecked Sendable {
    private let pendingAt = 0
    private let inServiceAt = 32
    private let levelAt = 64
    @inlinable var summaryAt: Int { 64 + 8 * 32 }
    /// Per priority level, which words of its bitmap hold a vIRQ; and which levels hold one (bit
    /// p for level p). Fixed at set-up like the priorities: the claim visits only the levels and
    /// words that hold a vIRQ, through the PLIC's pure pick.
    private let levelSummaryAt = 64 + 8 * 32 + 1
    private let levelsAt = 64 + 8 * 32 + 1 + 8
    @usableFromInline let words: AtomicWords

    /// `access`: `.exclusive` when one thread at a time drives this vPLIC (the replay).
    public init(access: WordAccess = .shared) {
        words = AtomicWords(count: 64 + 8 * 32 + 1 + 8 + 1, access: access)
    }

    /// Sets the priority the guest sees for `virq` (1...7). Set-up time: not safe against a
    /// concurrent claim.
    public func setPriority(_ virq: Int, _ p: UInt32) {
        precondition(virq >= 1 && virq < PLIC.sourceCount && p >= 1 && p <= PLIC.maxPriority)
        let (w, b) = wordBit(virq)
        for level in 0...Int(PLIC.maxPriority) {
            if words.clear(levelAt + level * 32 + w, b) == b {
                words.clear(levelSummaryAt + level, summaryBit(w))
                if words.load(levelSummaryAt + level) == 0 { words.clear(levelsAt, 1 &<< UInt32(level)) }
            }
        }
        words.or(levelAt + Int(p) * 32 + w, b)
        words.or(levelSummaryAt + Int(p), summaryBit(w))
        words.or(levelsAt, 1 &<< p, .releasing)
    }

    /// Makes `virq` pending. Returns true when it already was pending or in service: the inject
    /// is then one `storm_irqs` (the guest has not finished with the previous one).
    @inline(__always)
    public func inject(_ virq: Int) -> Bool {
        let (w, b) = wordBit(virq)
        let wasInService = words.load(inServiceAt + w, .acquiring) & b != 0
        let old = words.or(pendingAt + w, b, .acquiringAndReleasing)
        words.or(summaryAt, summaryBit(w), .releasing)
        return old & b != 0 || wasInService
    }

    /// Inlinable: the replay asks at most of its decisions.
    @inlinable public var hasPending: Bool { words.load(summaryAt, .acquiring) != 0 }

    public func isPending(_ virq: Int) -> Bool { let (w, b) = wordBit(virq); return words.load(pendingAt + w) & b != 0 }
    public func isInService(_ virq: Int) -> Bool { let (w, b) = wordBit(virq); return words.load(inServiceAt + w) & b != 0 }

    /// vclaim: the highest-priority pending vIRQ, ties to the lowest number, leaves pending and
    /// enters in-service. 0 when none is pending.
    @inline(__always)
    public func claim() -> Int {
        while true {
            let summary = words.load(summaryAt, .acquiring)
            if summary == 0 { return 0 }
            // The guest has no threshold: every level above 0 counts.
            let picked = PLIC.pick(
                threshold: 0, pendingWords: summary, levels: words.load(levelsAt, .acquiring),
                levelWords: { p in words.load(levelSummaryAt &+ p) },
                candidates: { w, p in words.load(pendingAt &+ w) & words.load(levelAt &+ p &* 32 &+ w) })
            if picked == 0 {
                // Only summary bits of words emptied by earlier claims (or vIRQs without a
                // priority, which are never routed): drop the stale ones.
                var s = summary
                while s != 0 {
                    let w = s.trailingZeroBitCount
                    s &= s &- 1
                    if words.load(pendingAt + w) == 0 {
                        words.clear(summaryAt, summaryBit(w))
                        if words.load(pendingAt + w) != 0 { words.or(summaryAt, summaryBit(w)) }
                    }
                }
                return 0
            }
            let (w, b) = wordBit(picked)
            words.or(inServiceAt + w, b, .releasing)
            let old = words.clear(pendingAt + w, b, .acquiringAndReleasing)
            if old & b == 0 { words.clear(inServiceAt + w, b); continue }
            if old == b {
                words.clear(summaryAt, summaryBit(w))
                if words.load(pendingAt + w) != 0 { words.or(summaryAt, summaryBit(w)) }
            }
            return picked
        }
    }

    /// vcomplete: `virq` leaves in-service.
    @inline(__always)
    public func complete(_ virq: Int) {
        let (w, b) = wordBit(virq)
        words.clear(inServiceAt + w, b, .releasing)
    }
}
