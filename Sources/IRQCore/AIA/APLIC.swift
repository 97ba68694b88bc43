import Synchronization

/// The RISC-V Advanced PLIC with one supervisor-level interrupt domain, owned by the hypervisor
/// (docs/model.md Part A, A.2-A.4), in direct delivery mode (per-hart IDCs: `claimi`, `topi`) or
/// in MSI delivery mode (each source's interrupts leave as MSIs to an IMSIC interrupt file).
///
/// State is held as bitfield words (pending, enabled, rectified input, source mode) plus one
/// target word per source in the spec's register layout. Every word is atomic. A source's pending
/// rules involve several words (line, pending, enable, an MSI leaving), so each source has a
/// spinlock word, as the hardware serialises the writes to one source: a device thread, harts and a
/// guest may drive the same source at once (live mode). Reads that only decide whether to look
/// (`hasInterrupt`) take no lock.
public final class APLIC: @unchecked Sendable {
    public static let sourceCount = 1024
    /// The largest IPRIO the model uses (priority 1 maps to IPRIO 7, docs/model.md Part A, A.3).
    public static let lowestIPRIO: UInt32 = 7

    public enum DeliveryMode: Sendable { case direct, msi }

    /// `sourcecfg.SM` encodings of the spec. Edge0/Level0 invert the wire; the model drives the
    /// rectified input, so they behave as Edge1/Level1 here.
    public enum SourceMode: UInt32, Sendable {
        case inactive = 0, detached = 1, edge1 = 4, edge0 = 5, level1 = 6, level0 = 7
        var isLevel: Bool { self == .level1 || self == .level0 }
        var isEdge: Bool { self == .edge1 || self == .edge0 }
    }

    public let harts: Int
    public let mode: DeliveryMode
    /// MSI mode: the interrupt files the hypervisor claims from (file 0 of each hart).
    public let imsic: IMSIC?
    /// MSI mode: where MSIs go (the IMSICs, directly or after a delay). Set once at set-up,
    /// before any source is enabled.
    public var msiReceiver: (any MSIReceiver)?

    // Word layout (offsets in words).
    private static let pendingAt = 0
    private static let enabledAt = 32
    private static let lineAt = 64
    private static let levelAt = 96
    private static let edgeAt = 128
    /// Bit w set while word w of `pending` may be non-zero.
    private static let summaryAt = 160
    private static let lockAt = 161
    private static let sourcecfgAt = lockAt + sourceCount
    /// Per source, the target register: hart index in bits 31:18; MSI mode: guest index 17:12 and
    /// EIID 10:0; direct mode: IPRIO 7:0.
    private static let targetAt = sourcecfgAt + sourceCount
    /// Per source, the model priority it was configured with (the vPLIC's view of it).
    private static let priorityAt = targetAt + sourceCount
    /// Per hart, 32 words: the sources whose target names that hart (direct-mode pick).
    private static let hartTargetsAt = priorityAt + sourceCount
    private var idcAt: Int { Self.hartTargetsAt + harts * 32 }

    private let words: AtomicWords
    private let counters = APLICCounters()

    /// `imsic` is required in MSI mode (the hypervisor's claim reads file 0's `stopei`).
    public init(mode: DeliveryMode, harts: Int, imsic: IMSIC? = nil) {
        precondition(harts >= 1 && harts <= 64, "1...64 harts")
        precondition(mode == .direct || imsic != nil, "MSI delivery needs IMSICs")
        self.harts = harts
        self.mode = mode
        self.imsic = imsic
        words = AtomicWords(count: Self.hartTargetsAt + harts * 32 + harts * 3)
        for h in 0..<harts {
            // Linux's aplic_idc_set_delivery: delivery on, no forced interrupt, no threshold.
            words.store(idcAt + 3 * h, 1)
        }
    }

    // MARK: Configuration (set-up time)

    /// Writes `sourcecfg`: the source mode. A source made inactive loses its pending bit.
    public func setSourceMode(_ s: Int, _ m: SourceMode) {
        precondition(s >= 1 && s < Self.sourceCount)
        lock(s)
        defer { unlock(s) }
        words.store(Self.sourcecfgAt + s, m.rawValue)
        let (w, b) = wordBit(s)
        if m.isLevel { words.or(Self.levelAt + w, b) } else { words.clear(Self.levelAt + w, b) }
        if m.isEdge { words.or(Self.edgeAt + w, b) } else { words.clear(Self.edgeAt + w, b) }
        if m == .inactive { clearPending(s) }
    }

    /// Sets the source's configured priority (1...7). Direct mode writes IPRIO = 8 - priority into
    /// the target register, keeping the order of the PLIC model (docs/model.md Part A, A.3); MSI
    /// mode uses EIID = source ID (A.4) and the priority only for the guest's vPLIC view.
    public func setPriority(_ s: Int, _ p: UInt32) {
        precondition(s >= 1 && s < Self.sourceCount && p >= 1 && p <= 7)
        words.store(Self.priorityAt + s, p)
        let t = words.load(Self.targetAt + s) & ~0xFFF
        words.store(Self.targetAt + s, t | (mode == .direct ? 8 - p : UInt32(s)))
    }

    /// MSI mode: which interrupt file of the target hart receives the source's MSIs (0 = the
    /// hart's supervisor file; g >= 1 = guest interrupt file g).
    public func setGuestIndex(_ s: Int, _ g: Int) {
        precondition(mode == .msi && g >= 0 && g < 64)
        lock(s)
        defer { unlock(s) }
        let t = words.load(Self.targetAt + s)
        words.store(Self.targetAt + s, (t & ~(0x3F << 12)) | UInt32(g) << 12)
    }

    /// Writes the target's hart index (the one hart whose IDC or interrupt file gets the source).
    func setTargetHart(_ s: Int, _ h: Int) {
        precondition(h >= 0 && h < harts)
        let old = targetHart(s)
        let t = words.load(Self.targetAt + s)
        words.store(Self.targetAt + s, (t & 0x3FFFF) | UInt32(h) << 18, .releasing)
        let (w, b) = wordBit(s)
        words.or(Self.hartTargetsAt + h * 32 + w, b, .releasing)
        if old != h { words.clear(Self.hartTargetsAt + old * 32 + w, b) }
    }

    // MARK: Queries

    public func sourceMode(_ s: Int) -> SourceMode { SourceMode(rawValue: words.load(Self.sourcecfgAt + s)) ?? .inactive }
    public func isPending(_ s: Int) -> Bool { bit(Self.pendingAt, s) }
    public func isEnabled(_ s: Int) -> Bool { bit(Self.enabledAt, s) }
    public func isLineHigh(_ s: Int) -> Bool { bit(Self.lineAt, s) }
    public func isEdge(_ s: Int) -> Bool { bit(Self.edgeAt, s) }
    public func isLevel(_ s: Int) -> Bool { bit(Self.levelAt, s) }
    public func targetHart(_ s: Int) -> Int { Int(words.load(Self.targetAt + s, .acquiring) >> 18) }
    public func guestIndex(_ s: Int) -> Int { Int(words.load(Self.targetAt + s) >> 12 & 0x3F) }
    /// Direct mode: the source's IPRIO (smaller is more urgent).
    public func iprio(_ s: Int) -> UInt32 { max(1, words.load(Self.targetAt + s) & 0xFF) }
    /// MSI mode: the identity the source's MSIs carry.
    public func eiid(_ s: Int) -> Int { Int(words.load(Self.targetAt + s) & 0x7FF) }
    public func priority(_ s: Int) -> UInt32 { words.load(Self.priorityAt + s) }

    /// Direct mode: `topi` of hart `h`'s IDC (0 when nothing qualifies or delivery is off).
    public func topi(hart h: Int) -> Int {
        guard words.load(idcAt + 3 * h) != 0 else { return 0 }
        let targets = Self.hartTargetsAt + h * 32
        return APLIC.pickTopi(
            threshold: words.load(idcAt + 3 * h + 2),
            pendingWords: words.load(Self.summaryAt, .acquiring),
            candidates: { w in
                words.load(Self.pendingAt + w, .acquiring) & words.load(Self.enabledAt + w) & words.load(targets + w)
            },
            iprio: { s in iprio(s) })
    }

    /// Hart `h` sees an external interrupt: direct mode, its IDC delivers (topi or iforce); MSI
    /// mode, its supervisor interrupt file has an enabled pending identity.
    @inline(__always)
    public func hasInterrupt(context h: Int) -> Bool {
        switch mode {
        case .direct: topi(hart: h) != 0 || words.load(idcAt + 3 * h + 1) != 0
        case .msi: imsic!.hasInterrupt(hart: h, file: 0)
        }
    }

    public var spuriousClaims: UInt64 { counters.spuriousClaims.load(ordering: .relaxed) }
    /// Edges merged into a pending bit that was still set (the APLIC keeps one bit per source).
    public var mergedEdges: UInt64 { counters.mergedEdges.load(ordering: .relaxed) }
    public var msisSent: UInt64 { counters.msisSent.load(ordering: .relaxed) }
    public var retriggers: UInt64 { counters.retriggers.load(ordering: .relaxed) }
    public var effectiveRetriggers: UInt64 { counters.effectiveRetriggers.load(ordering: .relaxed) }
    public var withdrawn: UInt64 { counters.withdrawn.load(ordering: .relaxed) }

    /// `n` more `setipnum` re-triggers of a level source whose line is high, each setting pending
    /// and sending one MSI: what `n` cycles of a steady host-end storm count in MSI mode, added at
    /// once when the replay fast-forwards them (docs/performance.md).
    public func countRetriggersSendingMSIs(_ n: UInt64) {
        counters.retriggers.wrappingAdd(n, ordering: .relaxed)
        counters.effectiveRetriggers.wrappingAdd(n, ordering: .relaxed)
        counters.msisSent.wrappingAdd(n, ordering: .relaxed)
    }

    /// A claim (of any kind the chip offers) that found nothing.
    func countSpuriousClaim() { counters.spuriousClaims.wrappingAdd(1, ordering: .relaxed) }

    // MARK: Device side

    /// The rectified input of source `s` becomes `high` (level sources; docs/model.md Part A, A.2).
    /// A rising input sets pending (MSI mode: then the forward rule); a falling one clears it
    /// (a withdrawal, counted when the bit was set). In direct mode pending is a copy of the input.
    public func setLine(_ s: Int, high: Bool) {
        lock(s)
        defer { unlock(s) }
        let (w, b) = wordBit(s)
        let was = high ? words.or(Self.lineAt + w, b) & b != 0 : words.clear(Self.lineAt + w, b) & b != 0
        guard words.load(Self.levelAt + w) & b != 0, was != high else { return }
        if high {
            setPending(s)
            forward(s)
        } else if clearPending(s) {
            counters.withdrawn.wrappingAdd(1, ordering: .relaxed)
        }
    }

    /// One edge on an edge source: pending is set, or the edge merges into a pending bit that is
    /// still set (counted); MSI mode then applies the forward rule.
    public func edge(_ s: Int) {
        lock(s)
        defer { unlock(s) }
        let (w, b) = wordBit(s)
        guard words.load(Self.edgeAt + w) & b != 0 else { return }
        if !setPending(s) { counters.mergedEdges.wrappingAdd(1, ordering: .relaxed) }
        forward(s)
    }

    // MARK: Hypervisor side

    /// Direct mode, read `claimi` of hart `h`'s IDC: returns `topi` and clears the pending bit of an
    /// edge or detached source; a level source stays pending while its input is high (the spec's
    /// rule, docs/model.md Part A, A.3). 0: a spurious claim (and `iforce` clears).
    public func claimi(hart h: Int) -> Int {
        while true {
            let s = topi(hart: h)
            if s == 0 {
                words.store(idcAt + 3 * h + 1, 0)
                countSpuriousClaim()
                return 0
            }
            lock(s)
            let (w, b) = wordBit(s)
            // The input may have fallen, or another path changed the source, since the pick.
            let still = words.load(Self.pendingAt + w) & words.load(Self.enabledAt + w) & b != 0 && targetHart(s) == h
            if still && words.load(Self.levelAt + w) & b == 0 { clearPending(s) }
            unlock(s)
            if still { return s }
        }
    }

    /// Write `setipnum` = s: pending := 1, for a level source only while its input is high; then
    /// the forward rule (MSI mode). Counts a re-trigger, and an effective one when it set pending.
    public func setipnum(_ s: Int) {
        lock(s)
        defer { unlock(s) }
        counters.retriggers.wrappingAdd(1, ordering: .relaxed)
        let (w, b) = wordBit(s)
        switch sourceMode(s) {
        case .inactive: return
        case .level0, .level1:
            // Direct mode ignores setipnum for level sources (pending is the input).
            guard mode == .msi, words.load(Self.lineAt + w) & b != 0 else { return }
        case .edge0, .edge1, .detached: break
        }
        setPending(s)
        counters.effectiveRetriggers.wrappingAdd(1, ordering: .relaxed)
        forward(s)
    }

    /// The level re-trigger a hypervisor writes when it ends a level interrupt in MSI mode
    /// (Linux's aplic_msi_irq_eoi): `setipnum` for a level source; nothing for other sources,
    /// where a `setipnum` would create a false edge.
    public func retrigger(_ s: Int) {
        guard mode == .msi, words.load(Self.levelAt + wordBit(s).word) & wordBit(s).bit != 0 else { return }
        setipnum(s)
    }

    /// `setienum`: enables the source; MSI mode then applies the forward rule.
    public func setienum(_ s: Int) {
        lock(s)
        defer { unlock(s) }
        let (w, b) = wordBit(s)
        words.or(Self.enabledAt + w, b, .releasing)
        forward(s)
    }

    /// `clrienum`: disables the source. Pending is kept (the enable bit never gates pending).
    public func clrienum(_ s: Int) {
        let (w, b) = wordBit(s)
        words.clear(Self.enabledAt + w, b, .releasing)
    }

    /// Writes the target hart (keeping the guest index and EIID or IPRIO) and enables the source.
    public func enable(_ s: Int, hart h: Int) {
        lock(s)
        setTargetHart(s, h)
        unlock(s)
        setienum(s)
    }

    // MARK: Internals

    @inline(__always)
    private func bit(_ at: Int, _ s: Int) -> Bool {
        let (w, b) = wordBit(s)
        return words.load(at + w) & b != 0
    }

    @inline(__always)
    private func lock(_ s: Int) {
        while !words.compareExchange(Self.lockAt + s, expected: 0, desired: 1, .acquiring).exchanged {
            while words.load(Self.lockAt + s) != 0 {}
        }
    }

    @inline(__always)
    private func unlock(_ s: Int) { words.store(Self.lockAt + s, 0, .releasing) }

    /// Sets the pending bit (under the source's lock). False when it was already set.
    @inline(__always) @discardableResult
    private func setPending(_ s: Int) -> Bool {
        let (w, b) = wordBit(s)
        let old = words.or(Self.pendingAt + w, b, .acquiringAndReleasing)
        words.or(Self.summaryAt, summaryBit(w), .releasing)
        return old & b == 0
    }

    /// Clears the pending bit (under the source's lock). False when it was clear.
    @inline(__always) @discardableResult
    private func clearPending(_ s: Int) -> Bool {
        let (w, b) = wordBit(s)
        let old = words.clear(Self.pendingAt + w, b, .acquiringAndReleasing)
        if old == b {
            // The word emptied: clear its summary bit, then re-check against a racing set.
            words.clear(Self.summaryAt, summaryBit(w))
            if words.load(Self.pendingAt + w, .acquiring) != 0 { words.or(Self.summaryAt, summaryBit(w), .releasing) }
        }
        return old & b != 0
    }

    /// MSI mode's forward rule (under the source's lock): while pending and enabled (and the domain's
    /// IE, always set here), clear pending and send one MSI to the target file.
    @inline(__always)
    private func forward(_ s: Int) {
        guard mode == .msi else { return }
        let (w, b) = wordBit(s)
        guard words.load(Self.enabledAt + w, .acquiring) & b != 0, clearPending(s) else { return }
        counters.msisSent.wrappingAdd(1, ordering: .relaxed)
        let t = words.load(Self.targetAt + s)
        msiReceiver!.receiveMSI(hart: Int(t >> 18), file: Int(t >> 12 & 0x3F), eiid: Int(t & 0x7FF),
                                edge: words.load(Self.edgeAt + w) & b != 0)
    }

    /// The `topi` pick of the APLIC specification as a pure function of bitfield words: among the
    /// candidates (pending, enabled and targeted at the hart), the smallest IPRIO, ties to the
    /// lowest source ID; with a non-zero `threshold` only IPRIOs below it qualify. 0 when none.
    /// - `pendingWords`: bit w set when word w of the pending bitmap may be non-zero;
    /// - `candidates(w)`: word w of pending AND enabled AND targeted-at-the-hart;
    /// - `iprio(s)`: source s's IPRIO (>= 1).
    /// Only the candidate sources are visited, so the cost follows the pending sources.
    @inlinable @inline(__always)
    public static func pickTopi(threshold: UInt32, pendingWords: UInt32, candidates: (Int) -> UInt32,
                                iprio: (Int) -> UInt32) -> Int {
        var best = 0
        var bestPrio = UInt32.max
        _ = forEachSetBit(summary: pendingWords, word: candidates) { id in
            let p = iprio(id)
            if threshold != 0 && p >= threshold { return true }
            // Ascending IDs: a strictly smaller IPRIO is needed to beat an earlier source.
            if p < bestPrio {
                best = id
                bestPrio = p
                // Nothing beats IPRIO 1.
                if p <= 1 { return false }
            }
            return true
        }
        return best
    }
}

/// Event counters of the APLIC, 64-bit so long replays cannot wrap them.
private final class APLICCounters: @unchecked Sendable {
    let spuriousClaims = Atomic<UInt64>(0)
    let mergedEdges = Atomic<UInt64>(0)
    let msisSent = Atomic<UInt64>(0)
    let retriggers = Atomic<UInt64>(0)
    let effectiveRetriggers = Atomic<UInt64>(0)
    let withdrawn = Atomic<UInt64>(0)
}
