/// Where a claimed interrupt goes.
public enum DispatchTarget: Sendable, Equatable {
    /// claim returned 0.
    case spurious
    /// A host handler runs (host_isr), then the host type's `end`.
    case host
    /// The vIRQ is injected into `domain`, then the guest type's `end`.
    case guest(domain: Int, virq: Int)
    /// No handler (disabled or never set up): ended at once with the host type's `end` (the PLIC's
    /// complete, so the gateway reopens).
    case unhandled
}

/// One dispatch in flight on a hart: what do_IRQ decided under the descriptor lock.
public struct Dispatch: Sendable, Equatable {
    public let irq: Int
    public let context: Int
    public let target: DispatchTarget
    /// The controller type's `end`, run after the handler or the inject.
    public let end: OperationList

    public init(irq: Int, context: Int, target: DispatchTarget, end: OperationList) {
        self.irq = irq
        self.context = context
        self.target = target
        self.end = end
    }
}

/// The flow of do_IRQ, split where the hypervisor's steps take time so the replay engine can charge
/// each one, and callable in one go by a real hart thread (`doIRQ`).
extension IRQDescriptorTable {
    /// Claim and look up (do_IRQ up to the handler). Controller calls: the chip's claim; the type's `ack`.
    /// Sets `inProgress` under the lock for host and guest targets, so a concurrent release waits.
    /// One call, to the chip's `beginDispatch(in:context:)`: the code below compiled for the chip.
    @inlinable @inline(__always)
    public func beginDispatch(context: Int) -> Dispatch { chip.beginDispatch(in: self, context: context) }

    /// do_IRQ after the chip's claim returned `irq` (families whose claim also returns interrupts
    /// of their own, such as a GIC maintenance interrupt, claim first and pass device IDs here).
    @inline(__always)
    public func dispatch(claimed irq: Int, context: Int) -> Dispatch {
        if irq == 0 { return Dispatch(irq: 0, context: context, target: .spurious, end: []) }
        lock(irq)
        words.store(Self.claimContextAt &+ irq, UInt32(truncatingIfNeeded: context))
        let st = status(irq)
        let target: DispatchTarget
        let end: OperationList
        if st.contains(.guest) {
            let slot = Int(words.load(Self.slotAt &+ irq))
            target = .guest(domain: Int(words.load(Self.slotDomainAt &+ slot)),
                            virq: Int(words.load(Self.slotVirqAt &+ slot)))
            end = guestType.end
            setStatus(irq, [.inProgress, .awaitingComplete, .guestPending])
        } else if !st.contains(.disabled) && TypeIndex(rawValue: words.load(Self.typeAt &+ irq)) == .host {
            target = .host
            end = hostType.end
            setStatus(irq, [.inProgress, .awaitingComplete])
        } else {
            // Ended as the host type ends an interrupt: on the PLIC the complete reopens the
            // gateway; an APLIC re-triggers a level source in MSI mode and owes nothing in direct.
            target = .unhandled
            end = hostType.end
            setStatus(irq, .awaitingComplete)
        }
        unlock(irq)
        return Dispatch(irq: irq, context: context, target: target, end: end)
    }

    /// The guest's half of the inject: the vIRQ becomes pending. Returns true for a storm inject
    /// (the vIRQ was still pending or in service). Controller calls: none (the guest's virtual controller only).
    /// Inlinable, like `guestComplete`: a call around the virtual controller's own cost about as
    /// much as the inject itself.
    @inlinable @inline(__always)
    public func inject(domain: Int, virq: Int) -> Bool {
        domain == 1 ? firstGuest.inject(virq) : guests[domain - 1].inject(virq)
    }

    /// End of the handler or inject: clears `inProgress` with release ordering, the write-side
    /// counterpart of the acquiring wait in `releaseGuest`.
    @inlinable @inline(__always)
    public func finishHandler(_ d: Dispatch) {
        if d.irq != 0 { clearStatus(d.irq, .inProgress, .releasing) }
    }

    /// Performs one timed controller operation for `irq` (end or guest EOI). Completes go to the
    /// context recorded at claim. Returns false for a stray complete. `.rateLimitCheck` is decided
    /// by `rateLimitCheck(_:now:)`, not here. One call, to the chip's `perform(_:in:irq:)`: the
    /// code below compiled for the chip.
    @inlinable @inline(__always) @discardableResult
    public func perform(_ op: ControllerOperation, irq: Int) -> Bool { chip.perform(op, in: self, irq: irq) }

    /// `perform` over `chip`, the table's own chip with its type known.
    @inline(__always)
    func perform<Chip: InterruptChip>(_ op: ControllerOperation, irq: Int, on chip: Chip) -> Bool {
        switch op {
        case .complete:
            return completeClaimed(irq, on: chip)
        case .mask:
            setStatus(irq, .masked)
            chip.mask(irq)
        case .unmask:
            chip.unmask(irq)
            clearStatus(irq, [.masked, .rateLimited])
        case .enable:
            chip.setEnabled(irq, context: targetContext(irq), true)
        case .disable:
            for c in 0..<chip.contexts { chip.setEnabled(irq, context: c, false) }
        case .rateLimitCheck:
            break
        case .priorityDrop:
            return chip.performChipOperation(op, irq: irq, context: claimContext(irq))
        case .retrigger:
            // The end of the claim is written (a second one, at a later guest EOI, writes again).
            clearStatus(irq, .awaitingComplete)
            return chip.performChipOperation(op, irq: irq, context: claimContext(irq))
        case .deactivate:
            // A split-EOI chip's deactivate is its complete (the write that lets the source be
            // signalled again): exactly once per claim, as `completeClaimed` guarantees.
            return completeClaimed(irq, on: chip)
        }
        return true
    }

    /// The physical complete of the current claim of `irq`, exactly once: only the caller that
    /// clears `awaitingComplete` writes it (a release and a guest's vcomplete may race for it).
    /// Returns false for a stray complete.
    @discardableResult
    func completeOnce(_ irq: Int) -> Bool { completeOnce(irq, context: claimContext(irq), on: chip) }

    /// `completeOnce` with the context recorded at claim already read.
    @inline(__always)
    func completeOnce<Chip: InterruptChip>(_ irq: Int, context: Int, on chip: Chip) -> Bool {
        let bit = IRQStatus.awaitingComplete.rawValue
        guard words.clear(Self.statusAt &+ irq, bit, .acquiringAndReleasing) & bit != 0 else { return true }
        return chip.complete(context: context, irq)
    }

    /// `completeOnce` for a source that a release may shut down meanwhile, under the descriptor
    /// lock as Xen runs `desc->handler->end` (a check outside it would race the shutdown). A claim
    /// can race the shutdown (picked while enabled, then disabled), and the PLIC ignores a complete
    /// of a disabled source, which would leave its gateway closed for ever (a lost complete). Like
    /// Linux's plic_irq_eoi for a disabled IRQ, a shut-down source is enabled in the claiming
    /// context for the complete and disabled again. A started source that is simply not enabled
    /// in that context (moved) still gets the model's stray complete.
    @inline(__always)
    func completeClaimed<Chip: InterruptChip>(_ irq: Int, on chip: Chip) -> Bool {
        lock(irq)
        defer { unlock(irq) }
        let ctx = claimContext(irq)
        if !status(irq).contains(.started) && !chip.isEnabled(irq, context: ctx) {
            let bit = IRQStatus.awaitingComplete.rawValue
            if words.clear(Self.statusAt + irq, bit, .acquiringAndReleasing) & bit != 0 {
                chip.setEnabled(irq, context: ctx, true)
                _ = chip.complete(context: ctx, irq)
                chip.setEnabled(irq, context: ctx, false)
            }
            return true
        }
        return completeOnce(irq, context: ctx, on: chip)
    }

    /// The guest wrote its virtual complete for `virq`: in-service clears; returns the IRQ and the
    /// physical operations the guest type owes (run in the vcomplete trap, or by hardware).
    @inlinable @inline(__always)
    public func guestComplete(domain: Int, virq: Int) -> (irq: Int, path: GuestEOIPath) {
        if domain == 1 { firstGuest.complete(virq) } else { guests[domain - 1].complete(virq) }
        let irq = irq(forVirq: virq, domain: domain)
        if irq != 0 { clearStatus(irq, .guestPending) }
        return (irq, guestType.guestEOI)
    }

    /// Xen x86's irq_ratelimit for one dispatch of `irq` at `now` (ns): a window starts at the
    /// first dispatch at or after the end of the previous one and lasts `window`; a dispatch whose
    /// count in its window exceeds `limit` must be masked. Returns true to mask.
    @inline(__always)
    public func rateLimitCheck(_ irq: Int, now: UInt64, window: UInt64, limit: UInt64) -> Bool {
        let lo = Self.rateStartAt &+ 2 &* irq
        let (start, count) = rateWindow(irq)
        let next = Self.rateStep(start: start, count: count, now: now, window: window, limit: limit)
        if next.start != start {
            words.store(lo, UInt32(truncatingIfNeeded: next.start))
            words.store(lo &+ 1, UInt32(truncatingIfNeeded: next.start >> 32))
        }
        words.store(Self.rateCountAt &+ irq, UInt32(truncatingIfNeeded: next.count))
        if next.mask {
            setStatus(irq, .rateLimited)
            return true
        }
        return false
    }

    /// How many of `count` dispatches of `irq` at `firstAt`, `firstAt + period`, ... the rate
    /// limiter would let through before the first it masks (all of them: `count`). Changes nothing:
    /// the replay asks before it fast-forwards a storm, then checks each dispatch.
    ///
    /// Window by window rather than dispatch by dispatch: a window holds the dispatches before its
    /// end, and it masks the one that takes its count past `limit`. A window opened by a dispatch
    /// holds the same number of them as any later one, so once such a window passed whole, every
    /// later one does: only the window of the first dispatch and the next one are looked at.
    /// Outside the plain case (a limit a count word could reach saturated, times near the end of
    /// the 64-bit range) the dispatches are stepped through one by one.
    public func rateLimitPasses(_ irq: Int, firstAt: UInt64, period: UInt64, count: UInt64, window: UInt64,
                                limit: UInt64) -> UInt64 {
        var (start, stored) = rateWindow(irq)
        let far: UInt64 = 1 << 62
        if period > 0 && limit < UInt64(UInt32.max) && window < far && start < far && firstAt < far
            && count < far / period {
            var passed: UInt64 = 0
            var opened = 0
            while passed < count {
                let t = firstAt + passed * period
                if stored == 0 || t >= start + window {
                    if opened == 1 { return count }
                    opened += 1
                    start = t
                    stored = 0
                }
                // This dispatch and the later ones before the window's end.
                let ahead = start + window - t
                let inWindow = ahead == 0 ? 1 : (ahead - 1) / period + 1
                let n = min(inWindow, count - passed)
                // The masking one, counted from 1 in this window's stretch.
                let masking = stored < limit ? limit - stored + 1 : 1
                if masking <= n { return passed + masking - 1 }
                passed += n
                stored += n
            }
            return passed
        }
        var passed: UInt64 = 0
        while passed < count {
            let next = Self.rateStep(start: start, count: stored, now: firstAt + passed * period, window: window, limit: limit)
            if next.mask { break }
            (start, stored) = (next.start, next.count)
            passed += 1
        }
        return passed
    }

    /// The rate window of `irq`: its start and the dispatches counted in it.
    @inline(__always)
    func rateWindow(_ irq: Int) -> (start: UInt64, count: UInt64) {
        let lo = Self.rateStartAt &+ 2 &* irq
        return (UInt64(words.load(lo)) | UInt64(words.load(lo &+ 1)) << 32, UInt64(words.load(Self.rateCountAt &+ irq)))
    }

    /// One dispatch at `now` under the rate limiter: the window it counts in, the count as stored
    /// (a 32-bit word, saturating), and whether the dispatch is over the limit.
    @inline(__always)
    static func rateStep(start: UInt64, count: UInt64, now: UInt64, window: UInt64,
                         limit: UInt64) -> (start: UInt64, count: UInt64, mask: Bool) {
        var start = start
        var count = count
        if count == 0 || now >= start &+ window {
            start = now
            count = 0
        }
        count += 1
        return (start, min(count, UInt64(UInt32.max)), count > limit)
    }

    /// A complete do_IRQ on the calling thread (live mode, stress tests): claim, handler or inject,
    /// then the type's `end` (a `.rateLimitCheck` there is skipped: live mode has no rate limiter).
    /// Returns the dispatch and whether the inject was a storm.
    @inline(__always)
    public func doIRQ(context: Int, hostHandler: (Int) -> Void) -> (dispatch: Dispatch, storm: Bool) {
        let d = beginDispatch(context: context)
        var storm = false
        switch d.target {
        case .spurious: return (d, false)
        case .host: hostHandler(d.irq)
        case .guest(let domain, let virq): storm = inject(domain: domain, virq: virq)
        case .unhandled: break
        }
        finishHandler(d)
        for op in d.end where op != .rateLimitCheck { perform(op, irq: d.irq) }
        return (d, storm)
    }
}

extension InterruptChip {
    /// The table's `beginDispatch` for this chip: its claim, then the table's look-up. Inlined
    /// into the witness, which would otherwise copy the returned `Dispatch` through a temporary.
    @inline(__always)
    public func beginDispatch(in table: IRQDescriptorTable, context: Int) -> Dispatch {
        table.dispatch(claimed: claim(context: context), context: context)
    }

    /// The table's `perform` for this chip.
    @inline(__always)
    public func perform(_ op: ControllerOperation, in table: IRQDescriptorTable, irq: Int) -> Bool {
        table.perform(op, irq: irq, on: self)
    }
}
