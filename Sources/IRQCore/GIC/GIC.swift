import Synchronization

/// The Arm GICv2 distributor and physical CPU interfaces of docs/model.md Part G (G.2).
///
/// Per source: the level `line`, the edge `latch`, `active`, the distributor enable (GICD_ISENABLER,
/// which masking clears) and one target bit per CPU interface (GICD_ITARGETSR; the model's
/// `target_hart`). All of it is held as bitfield words, 32 words of 32 bits per field, every word
/// atomic, so harts on real threads may acknowledge and deactivate while a device thread raises
/// lines.
///
/// The rules that differ from the PLIC (§3): a level source's pending state follows its line in
/// both directions (a falling line withdraws it); an edge sets a latch, and an edge that finds
/// the latch set is merged; an active interrupt, or an active and pending one, is not signalled
/// again until it is deactivated. The hypervisor runs EOImode 1: the EOIR write only drops the
/// priority, the DIR write deactivates. Each CPU interface also has its maintenance interrupt M,
/// whose level line is computed by the virtual CPU interface attached to it (`attach`).
public final class GIC: @unchecked Sendable {
    public static let sourceCount = 1024
    public static let maxPriority: UInt32 = 7
    /// What `claim` returns for the hart's maintenance interrupt. The model's sources use
    /// 1...1023 (the INTID is not modelled), so M gets a number of its own outside them.
    public static let maintenanceInterrupt = 1024

    public let contexts: Int

    private let lineAt = 0
    private let latchAt = 32
    private let activeAt = 64
    private let enabledAt = 96
    /// Per priority level p (0...7), the sources configured with priority p (fixed at set-up:
    /// masking clears the enable, not the priority).
    private let levelAt = 128
    private let levelSummaryAt = 128 + 8 * 32
    /// Which words of line | latch may be non-zero (a set bit may be stale, a clear bit never is).
    private let summaryAt = 128 + 8 * 32 + 8
    private let maintenanceActiveAt = 128 + 8 * 32 + 9
    private let priorityAt = 128 + 8 * 32 + 11
    private var targetAt: Int { priorityAt + GIC.sourceCount }

    private let words: AtomicWords
    private let spurious = Atomic<UInt64>(0)
    private let merged = Atomic<UInt64>(0)
    /// The virtual CPU interface whose maintenance line each CPU interface's M follows; set at
    /// set-up only.
    private var virtualInterfaces: [GICVirtualCPUInterface?]

    public init(contexts: Int) {
        precondition(contexts >= 1 && contexts <= 64, "1...64 CPU interfaces")
        self.contexts = contexts
        words = AtomicWords(count: 128 + 8 * 32 + 11 + GIC.sourceCount + contexts * 32)
        virtualInterfaces = Array(repeating: nil, count: contexts)
    }

    // MARK: Set-up

    /// M of CPU interface `context` follows `vcpu`'s maintenance line (the vCPU runs there).
    public func attach(_ vcpu: GICVirtualCPUInterface, context: Int) {
        virtualInterfaces[context] = vcpu
    }

    /// The source's priority, 1...7, higher = more urgent (docs/model.md G.1).
    public func setPriority(_ id: Int, _ p: UInt32) {
        precondition(id >= 1 && id < GIC.sourceCount && p >= 1 && p <= GIC.maxPriority)
        let (w, b) = wordBit(id)
        let old = words.load(priorityAt + id)
        if old != 0 { words.clear(levelAt + Int(old) * 32 + w, b) }
        words.store(priorityAt + id, p)
        words.or(levelAt + Int(p) * 32 + w, b)
        words.or(levelSummaryAt + Int(p), summaryBit(w))
    }

    /// Targets the source at CPU interface `context` (GICD_ITARGETSR) or removes it.
    public func setEnabled(_ id: Int, context: Int, _ on: Bool) {
        precondition(context >= 0 && context < contexts)
        let (w, b) = wordBit(id)
        if on { words.or(targetAt + context * 32 + w, b, .releasing) } else { words.clear(targetAt + context * 32 + w, b, .releasing) }
    }

    // MARK: Queries

    public func isEnabled(_ id: Int, context: Int) -> Bool { bit(targetAt + context * 32, id) }
    /// The distributor enable (GICD_ISENABLER / ICENABLER).
    public func isDistributorEnabled(_ id: Int) -> Bool { bit(enabledAt, id) }
    public func isLineHigh(_ id: Int) -> Bool { bit(lineAt, id) }
    public func isLatched(_ id: Int) -> Bool { bit(latchAt, id) }
    public func isPending(_ id: Int) -> Bool { isLineHigh(id) || isLatched(id) }
    public func isActive(_ id: Int) -> Bool { bit(activeAt, id) }
    public func configuredPriority(_ id: Int) -> UInt32 { words.load(priorityAt + id) }
    public func isMaintenanceActive(context: Int) -> Bool {
        let (w, b) = wordBit(context)
        return words.load(maintenanceActiveAt + w, .acquiring) & b != 0
    }
    /// M's level line on `context`: the attached virtual CPU interface asks for maintenance.
    public func maintenanceLine(context: Int) -> Bool { virtualInterfaces[context]?.maintenanceLine ?? false }

    /// IAR reads that returned 1023.
    public var spuriousClaims: UInt64 { spurious.load(ordering: .relaxed) }
    /// Edges that found the latch already set (merged into the pending interrupt).
    public var lostEdges: UInt64 { merged.load(ordering: .relaxed) }

    /// Hart `context` is signalled: M, or some device source (`hasSourceInterrupt`).
    @inline(__always)
    public func hasInterrupt(context: Int) -> Bool {
        maintenanceSignalled(context) || hasSourceInterrupt(context: context)
    }

    /// Some source targeted at `context` is enabled, pending and not active.
    @inline(__always)
    public func hasSourceInterrupt(context: Int) -> Bool { pick(context: context) != 0 }

    // MARK: Device side

    /// Sets the level line of `id`. Pending follows the line both ways. Returns whether the
    /// source became pending.
    @inline(__always) @discardableResult
    public func setLine(_ id: Int, high: Bool) -> Bool {
        let (w, b) = wordBit(id)
        if high {
            let old = words.or(lineAt + w, b, .acquiringAndReleasing)
            words.or(summaryAt, summaryBit(w), .releasing)
            return old & b == 0
        }
        words.clear(lineAt + w, b, .releasing)
        refreshSummary(w)
        return false
    }

    /// One edge on `id`: sets the latch; an edge that finds it set is merged and counted in
    /// `lostEdges`. An edge while the source is active sets the latch too (active and pending).
    /// Returns whether the latch was newly set.
    @inline(__always) @discardableResult
    public func edge(_ id: Int) -> Bool {
        let (w, b) = wordBit(id)
        let old = words.or(latchAt + w, b, .acquiringAndReleasing)
        words.or(summaryAt, summaryBit(w), .releasing)
        if old & b != 0 {
            merged.wrappingAdd(1, ordering: .relaxed)
            return false
        }
        return true
    }

    // MARK: CPU interface (hart side)

    /// Reads GICC_IAR of `context`: M first when its line is high and it is not active; else the
    /// signalled source of the highest priority, ties to the lowest ID, which becomes active (an
    /// edge source's latch clears; a level source whose line is high stays pending: active and
    /// pending). Returns the source, `maintenanceInterrupt`, or 0 for the spurious ID 1023
    /// (counted in `spuriousClaims`).
    @inline(__always)
    public func claim(context: Int) -> Int {
        if maintenanceSignalled(context) {
            let (w, b) = wordBit(context)
            if words.or(maintenanceActiveAt + w, b, .acquiringAndReleasing) & b == 0 {
                return GIC.maintenanceInterrupt
            }
        }
        while true {
            let id = pick(context: context)
            if id == 0 {
                spurious.wrappingAdd(1, ordering: .relaxed)
                return 0
            }
            let (w, b) = wordBit(id)
            // Another CPU interface (or a racing acknowledge) may have taken it since the pick:
            // only the one that sets `active` wins.
            if words.or(activeAt + w, b, .acquiringAndReleasing) & b != 0 { continue }
            if words.clear(latchAt + w, b, .acquiringAndReleasing) & b == 0
                && words.load(lineAt + w, .acquiring) & b == 0 {
                // The line fell between the pick and the activation: nothing was pending.
                words.clear(activeAt + w, b, .releasing)
                continue
            }
            refreshSummary(w)
            return id
        }
    }

    /// GICC_DIR (or an EOImode-0 EOIR): `id` becomes inactive; a level line still high, or a
    /// latch set while it was active, is signalled again at once. Always takes effect, whichever
    /// CPU interface writes it (docs/model.md G.2), so it is never stray.
    @inline(__always) @discardableResult
    public func complete(context: Int, _ id: Int) -> Bool {
        let (w, b) = wordBit(id)
        words.clear(activeAt + w, b, .releasing)
        return true
    }

    /// GICC_DIR for M of `context`: M becomes inactive (signalled again if its line is high).
    public func deactivateMaintenance(context: Int) {
        let (w, b) = wordBit(context)
        words.clear(maintenanceActiveAt + w, b, .releasing)
    }

    /// GICD_ICENABLER: the source is no longer signalled; a level source stays pending while its
    /// line is high.
    @inline(__always)
    public func mask(_ id: Int) {
        let (w, b) = wordBit(id)
        words.clear(enabledAt + w, b, .releasing)
    }

    /// GICD_ISENABLER.
    @inline(__always)
    public func unmask(_ id: Int) {
        let (w, b) = wordBit(id)
        words.or(enabledAt + w, b, .releasing)
    }

    // MARK: Internals

    @inline(__always)
    private func bit(_ at: Int, _ id: Int) -> Bool {
        let (w, b) = wordBit(id)
        return words.load(at + w, .acquiring) & b != 0
    }

    @inline(__always)
    private func maintenanceSignalled(_ context: Int) -> Bool {
        maintenanceLine(context: context) && !isMaintenanceActive(context: context)
    }

    /// Clears a summary bit whose word emptied; a racing set is seen by the re-check.
    @inline(__always)
    private func refreshSummary(_ w: Int) {
        if words.load(lineAt + w) | words.load(latchAt + w) != 0 { return }
        words.clear(summaryAt, summaryBit(w), .acquiringAndReleasing)
        if words.load(lineAt + w, .acquiring) | words.load(latchAt + w, .acquiring) != 0 {
            words.or(summaryAt, summaryBit(w), .releasing)
        }
    }

    /// The acknowledge pick over the current words: `GIC.pick` with this CPU interface's
    /// targets.
    @inline(__always)
    func pick(context: Int) -> Int {
        let target = targetAt + context * 32
        return GIC.pick(
            pendingWords: words.load(summaryAt, .acquiring),
            levelWords: { p in words.load(levelSummaryAt + p, .acquiring) },
            signalled: { w in
                (words.load(lineAt + w, .acquiring) | words.load(latchAt + w, .acquiring))
                    & words.load(enabledAt + w, .acquiring) & ~words.load(activeAt + w, .acquiring)
                    & words.load(target + w, .acquiring)
            },
            level: { w, p in words.load(levelAt + p * 32 + w) })
    }

    /// The GICv2 acknowledge pick as a pure function of bitfield words (docs/model.md G.2): of
    /// the sources that are pending, enabled, not active and targeted at the CPU interface
    /// (`signalled(w)`, word w), the highest priority wins, ties to the lowest ID (QEMU's
    /// gic_get_best_irq scans IDs upwards and keeps the first strictly better one). The same
    /// priority-then-ID rule as the PLIC's claim with threshold 0, so it is `PLIC.pick`.
    @inlinable @inline(__always)
    public static func pick(pendingWords: UInt32, levelWords: (Int) -> UInt32,
                            signalled: (_ word: Int) -> UInt32, level: (_ word: Int, _ p: Int) -> UInt32) -> Int {
        PLIC.pick(threshold: 0, pendingWords: pendingWords, levelWords: levelWords,
                  candidates: { w, p in signalled(w) & level(w, p) })
    }
}
