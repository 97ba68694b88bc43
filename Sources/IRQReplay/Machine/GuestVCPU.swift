import IRQCore

/// Where the guest's interrupt handler is (docs/model.md §6).
enum GuestPhase: UInt8 {
    /// Not in a handler.
    case idle
    /// virq_entry guest work.
    case virqEntry
    /// The vclaim trap is owed (starts only while runnable) or running.
    case vclaimPending, inVclaim
    /// The service step is owed: it fixes n when it starts.
    case servicePending
    /// service guest work.
    case service
    /// The vcomplete trap is owed or running.
    case vcompletePending, inVcomplete
    /// hw_eoi guest work (hw-eoi strategy: no trap).
    case hwEOI
    /// Guest work of the family's own (e.g. an untrapped claim from a guest interrupt file); the
    /// family's `familyGuestWorkEnded` ends it.
    case familyWork
}

struct GuestState {
    var phase = GuestPhase.idle
    /// Work left in the current guest step (ns).
    var remaining: UInt64 = 0
    var running = false
    var workStart: UInt64 = 0
    var workEnd: UInt64 = 0
    var workSeq: UInt64 = 0
    /// A decision is owed at this time (the vCPU's next runnable window); .max when none.
    var wake: UInt64 = .max
    /// The vIRQ of the current handler (0: vclaim found none).
    var virq = 0
    var vclaimAt: UInt64 = 0
    var serviceSource = 0
    /// The vcomplete trap's steps for the IRQ `vcompleteIRQ` (0: none yet), kept from the last
    /// vcomplete: they follow from the guest type's EOI operations, fixed for the replay, and each
    /// operation's step for the source, fixed once the source is configured (before its first
    /// claim). Built again only when the vcomplete is about another IRQ.
    var vcompleteSteps = StepList()
    var vcompleteIRQ = 0
}

extension Machine {
    /// The vCPU's hart is in GUEST with nothing more urgent: the guest runs its next step.
    func guestDecide() throws {
        guard scenario.runnable(at: now) else {
            if guest.phase != .idle || guestHasPending(), let p = scenario.vcpuPeriod {
                guest.wake = (now / p + 1) * p
            }
            return
        }
        switch guest.phase {
        case .idle:
            if guestHasPending() {
                guest.phase = .virqEntry
                guest.remaining = scenario.virqEntry
                startGuestWork()
            }
        case .virqEntry, .service, .hwEOI, .familyWork:
            if !guest.running { startGuestWork() }
        case .servicePending:
            try startService()
        case .vclaimPending:
            guest.phase = .inVclaim
            startSequence(guestHart, .vclaimTrap, starts.vclaim, irq: 0)
        case .vcompletePending:
            guest.phase = .inVcomplete
            startSequence(guestHart, .vcompleteTrap, starts.vcomplete, irq: 0)
        case .inVclaim, .inVcomplete:
            break
        }
    }

    /// Starts or resumes the current guest step; it pauses at the end of the vCPU's window.
    func startGuestWork() {
        guest.running = true
        guest.workStart = now
        var end = now + guest.remaining
        if let p = scenario.vcpuPeriod, let b = scenario.vcpuBudget, b < p {
            end = min(end, now / p * p + b)
        }
        guest.workEnd = end
        guest.workSeq = nextSeq()
    }

    /// A HYP sequence starts on the vCPU's hart: the guest's work stops where it is.
    func pauseGuestWork() {
        guard guest.running else { return }
        guest.remaining -= now - guest.workStart
        guest.running = false
    }

    /// The service step starts: it takes the n units present; its requests reach the guest.
    func startService() throws {
        let s = core.irq(forVirq: guest.virq, domain: Self.domain)
        guest.serviceSource = s
        let n = work[s]
        takenUnits[s] = n
        ledger.take(source: s)
        if n == 0 { m.guestSpurious += 1 }
        let vclaimAt = guest.vclaimAt
        let start = now
        ledger.forEachTaken(source: s) { t in
            recordLatency(.requestToGuest, t <= vclaimAt ? vclaimAt - t : start - t)
        }
        if timeline != nil { timelineTaken(s, units: n, guestClaimAt: vclaimAt) }
        let (units, o1) = scenario.perUnit.multipliedReportingOverflow(by: n)
        let (total, o2) = scenario.service.addingReportingOverflow(units)
        guard !o1, !o2, total < 1 << 62 else {
            throw ReplayError("source \(s): service of \(n) units overflows simulated time")
        }
        guest.remaining = total
        guest.phase = .service
        startGuestWork()
    }

    /// The guest's work reaches its end time: either the step completes, or the vCPU's window ended.
    func guestWorkEnds() throws {
        guest.remaining -= now - guest.workStart
        guest.running = false
        guard guest.remaining == 0 else { return }
        m.simEnd = now
        if hooks.contains(.guestWorkEnded), try familyGuestWorkEnded() { return }
        switch guest.phase {
        case .virqEntry:
            guest.phase = .vclaimPending
        case .service:
            deviceConsumed(guest.serviceSource)
            if strategy == .hwEOI {
                guest.phase = .hwEOI
                guest.remaining = scenario.hwEOI
            } else {
                guest.phase = .vcompletePending
            }
        case .hwEOI:
            let (irq, path) = core.guestComplete(domain: Self.domain, virq: guest.virq)
            if case .hardware(let ops) = path, irq != 0 {
                for op in ops {
                    let ok = core.perform(op, irq: irq)
                    if op == .complete {
                        if ok { reopened(irq) } else { claimOpen[irq] = false }
                    }
                }
            }
            guest.phase = .idle
        default:
            preconditionFailure("guest work ended in phase \(guest.phase)")
        }
    }

    /// The vclaim's vPLIC access: the highest-priority pending vIRQ enters service.
    func vclaimEffect() {
        let virq = vguest.claim()
        guest.virq = virq
        if virq != 0 {
            m.guestInterrupts += 1
            guest.vclaimAt = now
        }
    }

    func guestVclaimReturned() {
        guest.phase = guest.virq == 0 ? .idle : .servicePending
    }

    /// The vcomplete's vPLIC access: in-service clears; the guest type's physical operations
    /// follow in the same trap.
    func vcompleteEffect(_ h: Int) {
        let (irq, path) = core.guestComplete(domain: Self.domain, virq: guest.virq)
        harts[h].irq = irq
        guard case .trap(let ops) = path, !ops.isEmpty, irq != 0 else { return }
        if irq != guest.vcompleteIRQ {
            var steps = StepList()
            steps.append(.trapEntry); steps.append(.vcompleteMMIO)
            for op in ops {
                if let s = step(for: op, irq: irq) { steps.append(s) }
            }
            steps.append(.trapExit)
            guest.vcompleteSteps = steps
            guest.vcompleteIRQ = irq
        }
        harts[h].steps = guest.vcompleteSteps
    }
}
