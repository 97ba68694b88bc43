/// Why a route or a release was refused (Xen's route_irq_to_guest / release_guest_irq checks).
public enum RouteError: Error, Equatable, CustomStringConvertible {
    case irqOutOfRange(Int)
    case virqOutOfRange(Int)
    case noSuchDomain(Int)
    case contextOutOfRange(Int)
    /// The IRQ is already routed to another domain (-EBUSY).
    case ownedByOtherDomain(irq: Int, owner: Int)
    /// The IRQ is already routed to this domain under another vIRQ (-EBUSY).
    case boundToOtherVirq(irq: Int, virq: Int)
    /// The vIRQ already stands for another IRQ in this domain.
    case virqInUse(virq: Int, irq: Int)
    /// The IRQ has a host handler.
    case hostOwned(irq: Int)
    /// Release of a vIRQ that is not routed (a double release lands here).
    case notRouted(domain: Int, virq: Int)

    public var description: String {
        switch self {
        case .irqOutOfRange(let i): "IRQ \(i) is outside 1...1023"
        case .virqOutOfRange(let v): "vIRQ \(v) is outside 1...1023"
        case .noSuchDomain(let d): "domain \(d) does not exist"
        case .contextOutOfRange(let c): "interrupt context \(c) does not exist"
        case .ownedByOtherDomain(let i, let o): "IRQ \(i) is already used by domain \(o)"
        case .boundToOtherVirq(let i, let v): "IRQ \(i) is already assigned to vIRQ \(v)"
        case .virqInUse(let v, let i): "vIRQ \(v) is already bound to IRQ \(i)"
        case .hostOwned(let i): "IRQ \(i) has a host handler"
        case .notRouted(let d, let v): "vIRQ \(v) of domain \(d) is not routed"
        }
    }
}

extension IRQDescriptorTable {
    /// Sets a source's target context (the one context in which it is enabled) before startup,
    /// or moves it (`set_affinity`).
    public func setAffinity(_ irq: Int, context: Int) throws(RouteError) {
        guard irq >= 1 && irq < Self.count else { throw .irqOutOfRange(irq) }
        guard context >= 0 && context < chip.contexts else { throw .contextOutOfRange(context) }
        lock(irq)
        defer { unlock(irq) }
        let started = status(irq).contains(.started)
        if started { chip.setEnabled(irq, context: targetContext(irq), false) }
        words.store(Self.targetAt + irq, UInt32(context))
        if started { chip.setEnabled(irq, context: context, true) }
    }

    /// Gives `irq` a host handler (request_irq): host controller type, started.
    public func requestHostIRQ(_ irq: Int) throws(RouteError) {
        guard irq >= 1 && irq < Self.count else { throw .irqOutOfRange(irq) }
        lock(irq)
        defer { unlock(irq) }
        let st = status(irq)
        if st.contains(.guest) {
            let slot = Int(words.load(Self.slotAt + irq))
            throw .ownedByOtherDomain(irq: irq, owner: Int(words.load(Self.slotDomainAt + slot)))
        }
        words.store(Self.typeAt + irq, TypeIndex.host.rawValue)
        run(hostType.startup, irq)
        setStatus(irq, .started)
    }

    /// route_irq_to_guest: binds `irq` to `virq` of `domain` and starts it with the guest type.
    /// Routing the same pair again is accepted and changes nothing.
    public func routeToGuest(irq: Int, domain: Int, virq: Int) throws(RouteError) {
        guard irq >= 1 && irq < Self.count else { throw .irqOutOfRange(irq) }
        guard virq >= 1 && virq < Self.count else { throw .virqOutOfRange(virq) }
        guard domain >= 1 && domain <= guests.count else { throw .noSuchDomain(domain) }
        lock(irq)
        defer { unlock(irq) }
        let st = status(irq)
        if st.contains(.guest) {
            let slot = Int(words.load(Self.slotAt + irq))
            let owner = Int(words.load(Self.slotDomainAt + slot))
            let bound = Int(words.load(Self.slotVirqAt + slot))
            if owner != domain { throw .ownedByOtherDomain(irq: irq, owner: owner) }
            if bound != virq { throw .boundToOtherVirq(irq: irq, virq: bound) }
            return
        }
        if TypeIndex(rawValue: words.load(Self.typeAt + irq)) == .host { throw .hostOwned(irq: irq) }
        let mapIndex = Self.virqMapAt + (domain - 1) * Self.count + virq
        // The vIRQ map entry is shared by every IRQ of the domain, so our descriptor lock does not
        // guard it: two routes of different IRQs to one vIRQ would both see 0 and both bind.
        // Taking the entry with a compare-exchange lets exactly one of them win.
        let taken = words.compareExchange(mapIndex, expected: 0, desired: UInt32(irq))
        if !taken.exchanged { throw .virqInUse(virq: virq, irq: Int(taken.original)) }

        guard let slot = takeSlot() else {
            // The pool has a slot per IRQ, so it cannot run dry while the checks above hold.
            preconditionFailure("guest info pool exhausted")
        }
        words.store(Self.slotDomainAt + slot, UInt32(domain))
        words.store(Self.slotVirqAt + slot, UInt32(virq))
        words.store(Self.slotAt + irq, UInt32(slot), .releasing)
        words.store(Self.typeAt + irq, TypeIndex.guest.rawValue)
        guest(domain).setPriority(virq, max(1, chip.configuredPriority(irq)))
        run(guestType.startup, irq)
        setStatus(irq, [.guest, .started], .releasing)
    }

    /// release_guest_irq: unbinds `virq` of `domain`, shuts the IRQ down, waits until no dispatch
    /// is in progress, and only then returns the guest info to the pool.
    ///
    /// The info is detached under the descriptor lock, so a concurrent route gets a fresh slot and a
    /// second release finds nothing (`.notRouted`) instead of freeing twice. A dispatch that took
    /// the lock before us set `inProgress` and may still read the slot after unlocking; the wait is
    /// an acquiring load, paired with the releasing clear in `finishHandler`, so every read that
    /// dispatch made of the slot happens before we reuse it.
    public func releaseGuest(domain: Int, virq: Int) throws(RouteError) {
        guard domain >= 1 && domain <= guests.count else { throw .noSuchDomain(domain) }
        guard virq >= 1 && virq < Self.count else { throw .virqOutOfRange(virq) }
        let mapIndex = Self.virqMapAt + (domain - 1) * Self.count + virq
        let irq = Int(words.load(mapIndex, .acquiring))
        guard irq != 0 else { throw .notRouted(domain: domain, virq: virq) }
        lock(irq)
        let st = status(irq)
        let slot = Int(words.load(Self.slotAt + irq))
        guard st.contains(.guest), slot != 0, Int(words.load(Self.slotDomainAt + slot)) == domain,
              Int(words.load(Self.slotVirqAt + slot)) == virq
        else {
            unlock(irq)
            throw .notRouted(domain: domain, virq: virq)
        }
        // A claim whose complete (a GIC's deactivate) the strategy leaves to the guest (guest-end,
        // hw-eoi) would keep the gateway closed for ever once the vIRQ is unbound: the guest's
        // vcomplete no longer finds the IRQ. Complete it now, while the source is still enabled. `completeOnce` clears
        // `awaitingComplete` first, so a vcomplete racing this release cannot complete it twice.
        // (Strategies that complete in do_IRQ leave it to the dispatch, which always finishes.)
        if !guestType.end.contains(.complete) && !guestType.end.contains(.deactivate) { completeOnce(irq) }
        run(guestType.shutdown, irq)
        clearStatus(irq, [.guest, .started, .guestPending])
        words.store(Self.slotAt + irq, 0)
        words.store(Self.typeAt + irq, TypeIndex.none.rawValue)
        words.store(mapIndex, 0, .releasing)
        unlock(irq)

        while words.load(Self.statusAt + irq, .acquiring) & IRQStatus.inProgress.rawValue != 0 {}

        #if IRQCORE_CHECKS
        // Poison: a reader that still used the slot would see domain 0.
        words.store(Self.slotDomainAt + slot, 0)
        words.store(Self.slotVirqAt + slot, 0)
        #endif
        let (w, b) = wordBit(slot)
        words.or(Self.slotFreeAt + w, b, .releasing)
    }

    /// Takes a free guest-info slot (1...1023) from the pool bitmap.
    private func takeSlot() -> Int? {
        for w in 0..<32 {
            while true {
                let free = words.load(Self.slotFreeAt + w, .acquiring)
                if free == 0 { break }
                let b = free & (0 &- free)
                if words.clear(Self.slotFreeAt + w, b, .acquiringAndReleasing) & b != 0 {
                    return w * 32 + b.trailingZeroBitCount
                }
            }
        }
        return nil
    }

    /// Runs set-up and tear-down operations (startup, shutdown): never timed.
    func run(_ ops: OperationList, _ irq: Int) {
        for op in ops {
            switch op {
            case .enable: chip.setEnabled(irq, context: targetContext(irq), true)
            case .disable:
                for c in 0..<chip.contexts { chip.setEnabled(irq, context: c, false) }
            case .unmask:
                // Startup restores the priority: a mask owed an unmask by a guest whose route was
                // released meanwhile is void now.
                chip.unmask(irq)
                clearStatus(irq, [.masked, .rateLimited])
            case .mask: chip.mask(irq)
            case .complete: _ = chip.complete(context: claimContext(irq), irq)
            case .rateLimitCheck, .priorityDrop, .deactivate, .retrigger: break
            }
        }
    }
}
