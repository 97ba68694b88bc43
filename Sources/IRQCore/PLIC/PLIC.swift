import Synchronization

/// The platform-level interrupt controller of docs/model.md §3 (RISC-V PLIC semantics).
///
/// State is held as bitfield words like QEMU's sifive_plic.c: 32 words of 32 bits cover sources
/// 0...1023 (0 is never a source). Every word is atomic, so harts running on real threads may
/// claim and complete while a device thread raises lines.
public final class PLIC: @unchecked Sendable {
    public static let sourceCount = 1024
    public static let wordsPerBitmap = sourceCount / 32
    public static let maxPriority: UInt32 = 7

    public let contexts: Int

    // Word layout inside `words` (offsets in words). Every part of a fixed size comes first, at
    // an offset that is a constant in the code that reads it; only the per-context words (enables,
    // thresholds) follow, at offsets stored at set-up. A stored offset is one more load at each
    // access, and the decisions, the claim and the device's records make many (docs/performance.md).
    @inlinable var pendingAt: Int { 0 }
    @inlinable var gatewayClosedAt: Int { 32 }
    @inlinable var lineAt: Int { 64 }
    private var edgeTriggerAt: Int { 96 }
    /// Per priority level p (1...7), the sources whose current priority is p. Level 0 (priority
    /// 0: never set up, or masked) is never picked, so its bitmap, summary and levels bit stay
    /// empty: a mask or an unmask moves a source into or out of one level only.
    private var levelAt: Int { 128 }
    /// Which words of `pending` are non-zero: one bit per word, so a claim skips empty words.
    @inlinable var summaryAt: Int { 128 + 8 * 32 }
    /// Per priority level, which words of that level's bitmap are non-zero: the claim skips the
    /// levels that hold no source at all without touching their 32 words.
    private var levelSummaryAt: Int { summaryAt + 1 }
    /// Which levels' summaries are non-zero (bit p for level p): the claim visits only those. A
    /// masked source is at no level, so with every pending source masked (mask-unmask's usual
    /// state) the pick returns at once instead of looking at levels 7 down to 1.
    @inlinable var levelsAt: Int { summaryAt + 1 + 8 }
    // Per source (1024 words each; a literal, as `sourceCount` is reached through a call in
    // code inlined into another module).
    @inlinable var priorityAt: Int { levelsAt + 1 }
    private var savedPriorityAt: Int { priorityAt + 1024 }
    private var queuedEdgesAt: Int { savedPriorityAt + 1024 }
    /// The per-context words start after the queued-edge counts (init checks it).
    @inlinable var enabledAt: Int { PLIC.enabledOffset }
    @inlinable static var enabledOffset: Int { 128 + 8 * 32 + 1 + 8 + 1 + 3 * 1024 }
    @usableFromInline let thresholdAt: Int
    @usableFromInline let words: AtomicWords
    private let counters: Counters

    /// Edges a closed gateway may queue per source (docs/model.md §3 `edge_queue`).
    public let edgeQueue: UInt32

    /// `access`: `.exclusive` when one thread at a time drives this PLIC (the replay).
    public init(contexts: Int, edgeQueue: UInt32 = 1, access: WordAccess = .shared) {
        precondition(contexts >= 1 && contexts <= 64, "1...64 PLIC contexts")
        self.contexts = contexts
        self.edgeQueue = edgeQueue
        thresholdAt = PLIC.enabledOffset + contexts * 32
        let total = thresholdAt + contexts
        words = AtomicWords(count: total, access: access)
        counters = Counters()
        precondition(enabledAt == queuedEdgesAt + PLIC.sourceCount)
    }

    // MARK: Configuration (set-up time)

    /// Sets a source's priority (1...7; 0 disables it like masking does). The saved priority,
    /// restored by `unmask`, follows.
    public func setPriority(_ id: Int, _ p: UInt32) {
        precondition(id >= 1 && id < PLIC.sourceCount && p <= PLIC.maxPriority)
        words.store(savedPriorityAt + id, p)
        moveLevel(id, to: p)
    }

    public func setEdgeTriggered(_ id: Int, _ edge: Bool) {
        let (w, b) = wordBit(id)
        if edge { words.or(edgeTriggerAt + w, b) } else { words.clear(edgeTriggerAt + w, b) }
    }

    public func setEnabled(_ id: Int, context: Int, _ on: Bool) {
        precondition(context >= 0 && context < contexts)
        let (w, b) = wordBit(id)
        if on { words.or(enabledAt + context * 32 + w, b) } else { words.clear(enabledAt + context * 32 + w, b) }
    }

    public func setThreshold(context: Int, _ t: UInt32) { words.store(thresholdAt + context, t) }

    // MARK: Queries

    public func isPending(_ id: Int) -> Bool { bit(pendingAt, id) }
    public func isGatewayOpen(_ id: Int) -> Bool { !bit(gatewayClosedAt, id) }
    public func isLineHigh(_ id: Int) -> Bool { bit(lineAt, id) }
    @inline(__always)
    public func isEnabled(_ id: Int, context: Int) -> Bool { bit(enabledAt + context * 32, id) }
    public func priority(_ id: Int) -> UInt32 { words.load(priorityAt + id) }
    /// The priority set by `setPriority`, which `unmask` restores.
    public func configuredPriority(_ id: Int) -> UInt32 { words.load(savedPriorityAt + id) }
    public func queuedEdges(_ id: Int) -> UInt32 { words.load(queuedEdgesAt + id) }

    public var spuriousClaims: UInt64 { counters.spuriousClaims.load(ordering: .relaxed) }
    public var strayCompletes: UInt64 { counters.strayCompletes.load(ordering: .relaxed) }
    public var lostEdges: UInt64 { counters.lostEdges.load(ordering: .relaxed) }

    /// True while hart `context` sees an external interrupt: some source pending, enabled for the
    /// context, with priority above the context's threshold.
    ///
    /// Inlinable and without a call: the replay asks several times per request, and most calls
    /// end at the first test (docs/performance.md). No source pending (a guest-end source waiting
    /// behind its closed gateway), or no source above level 0 (mask-unmask's masked source):
    /// nothing qualifies for any threshold. Otherwise `anyTakeable` over the pending and enabled
    /// words: it stops at the first source above the threshold, where the claim pick would look
    /// for the highest, so it stores nothing and has nothing to keep up to date.
    @inlinable @inline(__always)
    public func hasInterrupt(context: Int) -> Bool {
        let pendingWords = words.load(summaryAt, .acquiring)
        if pendingWords == 0 { return false }
        if words.load(levelsAt, .acquiring) <= 1 { return false }
        let enabled = enabledAt &+ context &* 32
        return PLIC.anyTakeable(
            threshold: words.load(thresholdAt &+ context), pendingWords: pendingWords,
            candidates: { w in words.load(pendingAt &+ w) & words.load(enabled &+ w) },
            priority: { id in words.load(priorityAt &+ id) })
    }

    // MARK: Device side

    /// The level line of `id` is set to `high`. A rising or high line forwards through an open
    /// gateway; a falling line never withdraws a pending request. Returns whether the source
    /// became pending (what a hart can see changed). Inlinable: the replay raises a line at every
    /// record of a level source.
    @inlinable @inline(__always) @discardableResult
    public func setLine(_ id: Int, high: Bool) -> Bool {
        let (w, b) = wordBit(id)
        if high {
            words.or(lineAt &+ w, b)
            return forward(id)
        }
        words.clear(lineAt &+ w, b)
        return false
    }

    /// One edge on `id`: forwarded through an open gateway, else queued up to `edgeQueue`, else lost.
    /// Returns whether the edge was forwarded at once (the source became pending). Inlinable, like
    /// `setLine`: the replay sends an edge at every record of an edge source; the closed gateway's
    /// queue is out of line.
    @inlinable @inline(__always) @discardableResult
    public func edge(_ id: Int) -> Bool {
        if forward(id) { return true }
        edgeAtClosedGateway(id)
        return false
    }

    /// An edge that found the gateway closed: queued, or lost when the queue is full.
    @usableFromInline
    func edgeAtClosedGateway(_ id: Int) {
        guard queueEdge(id) else { return }
        // A complete may have opened the gateway after our forward failed and found the queue still
        // empty: forward the queued edge ourselves, or it would wait for the next edge. The gateway
        // is read with a read-modify-write so that of the two, at least one sees the other (a
        // plain load after the queue update could miss the complete's store).
        if words.or(gatewayClosedAt + wordBit(id).word, 0, .acquiringAndReleasing) & wordBit(id).bit == 0 {
            forwardQueuedEdge(id)
        }
    }

    /// Adds an edge to the source's queue; when the queue is full the edge is lost (counted).
    /// Returns whether it was queued.
    private func queueEdge(_ id: Int) -> Bool {
        while true {
            let q = words.load(queuedEdgesAt + id)
            if q >= edgeQueue {
                counters.lostEdges.wrappingAdd(1, ordering: .relaxed)
                return false
            }
            if words.compareExchange(queuedEdgesAt + id, expected: q, desired: q + 1).exchanged { return true }
        }
    }

    /// Takes one queued edge and forwards it. A racing edge may forward first and close the
    /// gateway; then the taken edge goes back in the queue (or is lost when the queue refilled).
    private func forwardQueuedEdge(_ id: Int) {
        while true {
            let q = words.load(queuedEdgesAt + id)
            if q == 0 { return }
            if words.compareExchange(queuedEdgesAt + id, expected: q, desired: q - 1).exchanged { break }
        }
        if !forward(id) { _ = queueEdge(id) }
    }

    // MARK: Hart side

    /// claim(h): the highest-priority pending source enabled for `context` above its threshold,
    /// ties to the lowest ID; its pending bit is cleared and its gateway stays closed. Returns 0
    /// (and counts a spurious claim) when there is none.
    @inline(__always)
    public func claim(context: Int) -> Int {
        while true {
            let id = claimPick(context: context)
            if id == 0 {
                counters.spuriousClaims.wrappingAdd(1, ordering: .relaxed)
                return 0
            }
            let (w, b) = wordBit(id)
            // Another hart may have claimed it since the pick: only the one that clears the bit wins.
            let old = words.clear(pendingAt + w, b, .acquiringAndReleasing)
            if old & b != 0 {
                if old == b { words.clear(summaryAt, summaryBit(w)) ; refreshSummary(w) }
                return id
            }
        }
    }

    /// complete(ctx, id): ignored and counted as stray when `id` is not enabled for `context`;
    /// otherwise opens the gateway, then forwards again a high level line or a queued edge.
    /// Returns false for a stray complete.
    @inline(__always) @discardableResult
    public func complete(context: Int, _ id: Int) -> Bool {
        guard isEnabled(id, context: context) else {
            counters.strayCompletes.wrappingAdd(1, ordering: .relaxed)
            return false
        }
        let (w, b) = wordBit(id)
        words.clear(gatewayClosedAt + w, b, .releasing)
        if words.load(edgeTriggerAt + w) & b != 0 {
            forwardQueuedEdge(id)
        } else if words.or(lineAt + w, 0, .acquiringAndReleasing) & b != 0 {
            // Read-modify-write, not a load: a line rising on the device thread while we open the
            // gateway must be seen by one of us (its forward found the gateway still closed).
            forward(id)
        }
        return true
    }

    /// Masks like Linux's PLIC driver: priority 0. Pending survives; the source stays enabled.
    @inline(__always)
    public func mask(_ id: Int) { moveLevel(id, to: 0) }

    /// Restores the priority saved by `setPriority`.
    @inline(__always)
    public func unmask(_ id: Int) { moveLevel(id, to: words.load(savedPriorityAt + id)) }

    // MARK: Internals

    @inline(__always)
    private func bit(_ at: Int, _ id: Int) -> Bool {
        let (w, b) = wordBit(id)
        return words.load(at + w) & b != 0
    }

    /// Closes an open gateway and sets pending ("forwarded"). False when the gateway was closed.
    @inlinable @inline(__always) @discardableResult
    func forward(_ id: Int) -> Bool {
        let (w, b) = wordBit(id)
        let old = words.or(gatewayClosedAt &+ w, b, .acquiringAndReleasing)
        if old & b != 0 { return false }
        words.or(pendingAt &+ w, b, .releasing)
        words.or(summaryAt, summaryBit(w))
        return true
    }

    /// Re-sets a summary bit cleared by a racing claim while another source of the word is pending.
    @inline(__always)
    private func refreshSummary(_ w: Int) {
        if words.load(pendingAt + w) != 0 { words.or(summaryAt, summaryBit(w)) }
    }

    private func moveLevel(_ id: Int, to p: UInt32) {
        let (w, b) = wordBit(id)
        let old = words.load(priorityAt + id)
        words.store(priorityAt + id, p)
        let wordBitMask: UInt32 = summaryBit(w)
        // Set before clear, each level's summary bit after its word: a claim may see a source at
        // both levels for a moment (harmless), never at neither.
        if p != 0 {
            words.or(levelAt + Int(p) * 32 + w, b, .releasing)
            words.or(levelSummaryAt + Int(p), wordBitMask, .releasing)
            words.or(levelsAt, 1 &<< p, .releasing)
        }
        guard old != p && old != 0 else { return }
        let left = words.clear(levelAt + Int(old) * 32 + w, b, .acquiringAndReleasing) & ~b
        if left == 0 {
            // Another move may refill the word meanwhile: re-check after clearing the summary bit,
            // and the same one level up for the levels word.
            let others = words.clear(levelSummaryAt + Int(old), wordBitMask) & ~wordBitMask
            if words.load(levelAt + Int(old) * 32 + w, .acquiring) != 0 {
                words.or(levelSummaryAt + Int(old), wordBitMask, .releasing)
            } else if others == 0 {
                words.clear(levelsAt, 1 &<< old)
                if words.load(levelSummaryAt + Int(old), .acquiring) != 0 { words.or(levelsAt, 1 &<< old, .releasing) }
            }
        }
    }

    /// The claim pick over this PLIC's current words (see `pick`).
    @inline(__always)
    func claimPick(context: Int) -> Int {
        let pendingWords = words.load(summaryAt, .acquiring)
        let levels = words.load(levelsAt, .acquiring)
        let enabled = enabledAt &+ context &* 32
        return PLIC.pick(
            threshold: words.load(thresholdAt &+ context),
            pendingWords: pendingWords,
            levels: levels,
            levelWords: { p in words.load(levelSummaryAt &+ p, .acquiring) },
            candidates: { w, p in
                words.load(pendingAt &+ w) & words.load(enabled &+ w) & words.load(levelAt &+ p &* 32 &+ w)
            })
    }

    /// The claim pick of the PLIC specification as a pure function of bitfield words (as in
    /// QEMU's sifive_plic.c): the highest priority above `threshold`, ties to the lowest ID; 0 when
    /// nothing qualifies.
    /// - `pendingWords`: bit w set when word w of the pending bitmap may be non-zero;
    /// - `levels`: bit p set when priority level p may hold a source (all levels by default);
    /// - `levelWords(p)`: bit w set when word w of priority level p's bitmap may be non-zero;
    /// - `candidates(w, p)`: word w of pending AND enabled-for-the-context AND level p.
    /// Only the levels above the threshold that may hold a source are visited, highest first, and
    /// per level only the words non-empty in both summaries are read, so the cost follows the
    /// pending sources, not the 1023 descriptors.
    @inlinable @inline(__always)
    public static func pick(threshold: UInt32, pendingWords: UInt32, levels: UInt32 = 0xFF,
                            levelWords: (Int) -> UInt32,
                            candidates: (_ word: Int, _ level: Int) -> UInt32) -> Int {
        if pendingWords == 0 || threshold >= maxPriority { return 0 }
        // Levels threshold + 1 ... maxPriority.
        var visit = levels & ((UInt32(1) &<< (maxPriority + 1)) &- 1) & ~((UInt32(2) &<< threshold) &- 1)
        while visit != 0 {
            let p = 31 - visit.leadingZeroBitCount
            visit &= ~(UInt32(1) &<< UInt32(p))
            var s = pendingWords & levelWords(p)
            while s != 0 {
                let w = s.trailingZeroBitCount
                s &= s &- 1
                let bits = candidates(w, p)
                if bits != 0 { return w * 32 + bits.trailingZeroBitCount }
            }
        }
        return 0
    }

    /// Whether the claim pick would find a source, as a pure function of bitfield words (QEMU's
    /// sifive_plic_irqs_pending): some source pending and enabled for the context with priority
    /// above `threshold`.
    /// - `pendingWords`: bit w set when word w of the pending bitmap may be non-zero;
    /// - `candidates(w)`: word w of pending AND enabled-for-the-context;
    /// - `priority(id)`: the source's priority (0 while masked).
    /// Returns at the first source above the threshold, in ID order; the cost follows the pending
    /// sources enabled for the context (a masked one costs a priority read), not the levels.
    @inlinable @inline(__always)
    public static func anyTakeable(threshold: UInt32, pendingWords: UInt32, candidates: (_ word: Int) -> UInt32,
                                   priority: (_ id: Int) -> UInt32) -> Bool {
        !forEachSetBit(summary: pendingWords, word: candidates) { id in priority(id) <= threshold }
    }
}

/// Event counters of the PLIC, 64-bit so long replays cannot wrap them.
private final class Counters: @unchecked Sendable {
    let spuriousClaims = Atomic<UInt64>(0)
    let strayCompletes = Atomic<UInt64>(0)
    let lostEdges = Atomic<UInt64>(0)
}
