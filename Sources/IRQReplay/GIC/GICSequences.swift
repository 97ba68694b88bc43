import IRQCore
import IRQTrace

/// What a hart's GIC sequence still owes. Each sequence is decided as it runs: the IAR's effect
/// says what was acknowledged, the inject's effect whether it spilled, the maintenance handler's
/// effect how many EOI steps and refills follow. Those decisions are queued here and become the
/// hart's next step list when the current one drains, so a sequence of any length (an IAR loop,
/// 64 list registers to refill) runs in fixed storage.
struct GICSequenceProgram {
    /// Steps decided by the last effect.
    var owed = StepList()
    /// EOI steps of the maintenance handler not yet listed (one per EOI'd entry).
    var eoiSteps = 0
    /// Refills of the maintenance handler not yet listed.
    var refills = 0
    /// EOIR(M) and DIR(M) not yet listed.
    var maintenanceEnd = false
    /// The last IAR read returned the spurious ID: an IAR loop ends.
    var sawSpurious = false
    /// IAR reads in this sequence (the livelock guard of docs/model.md G.12 decision 16).
    var iarReads = 0
    /// The rate check at the claim asked for a mask after the deactivate.
    var rateMask = false
    /// An inject of this sequence merged into an entry the guest already had (no list register
    /// or queue changed): a storm cycle's inject (StormFastForward.swift).
    var injectMerged = false
}

extension GICMachine {
    /// IAR reads in one sequence after which an IAR loop is declared a livelock.
    static let iarLoopLimit = 1_000_000

    /// docs/model.md G.5: every physical interrupt starts with an IAR read.
    func gicStartPhysicalSequence(_ h: Int) {
        programs[h] = GICSequenceProgram()
        var s = StepList()
        s.append(.trapEntry); s.append(.gicIAR)
        startSequence(h, .dispatch, s, irq: 0)
    }

    func gicStepCost(_ s: Step) -> UInt64 {
        switch s {
        case .gicIAR: scenario.claimMMIO
        case .gicInject: scenario.inject
        case .lrOverflowCost: scenario.lrOverflowCost
        case .gicEOIR, .maintEOIR: scenario.eoirWrite
        case .gicDIR, .maintDIR, .maintEOIDeactivate: scenario.dirWrite
        case .maintEOIUnmask: scenario.unmaskMMIO
        case .maintHandler: scenario.maintHandler
        // G.12 decision 15: the queue length at the start of this refill, once per refilled entry.
        case .lrRefill: scenario.inject + scenario.refillScan * UInt64(vcpu.queueLength)
        default: preconditionFailure("not a GIC step: \(s)")
        }
    }

    func gicStepEffect(_ h: Int, _ s: Step) throws {
        let irq = harts[h].irq
        switch s {
        case .gicIAR:
            try acknowledge(h)
        case .gicInject:
            injectEffect(h)
        case .gicEOIR:
            core.perform(.priorityDrop, irq: irq)
        case .gicDIR:
            core.perform(.deactivate, irq: irq)
            // Under mask-unmask a guest-owned source may fire again only at the unmask.
            if isHost[irq] || strategy != .maskUnmask { reopened(irq) }
            try checkEndlessLoop(h, irq)
        case .maintHandler:
            maintenanceHandler(h)
        case .maintEOIDeactivate, .maintEOIUnmask:
            let virq = eoiEntries[eoiHead]
            eoiHead += 1
            let source = core.irq(forVirq: virq, domain: Self.domain)
            if source != 0 {
                core.perform(s == .maintEOIDeactivate ? .deactivate : .unmask, irq: source)
                reopened(source)
            }
        case .lrRefill:
            _ = vcpu.refill()
        case .maintEOIR, .lrOverflowCost:
            break
        case .maintDIR:
            gic.deactivateMaintenance(context: h)
        default:
            preconditionFailure("not a GIC step: \(s)")
        }
    }

    /// G.12 decision 16 without the wait: in an IAR loop on the guest's hart, a guest-owned level
    /// source deactivated with its line high is signalled again at once, and only the guest's
    /// service (which cannot run while this hart stays in HYP) can lower that line. Unless a rate
    /// limit can mask it, the loop never reads 1023: stop now rather than after a million reads.
    func checkEndlessLoop(_ h: Int, _ irq: Int) throws {
        guard scenario.iarLoop != 0, harts[h].kind == .dispatch, h == guestHart, !isHost[irq],
              trigger[irq] == RequestKind.level.rawValue, gic.isLineHigh(irq), gic.isDistributorEnabled(irq),
              !harts[h].dispatch.end.contains(.rateLimitCheck)
        else { return }
        throw livelock(h, reason: "source \(irq) is guest-owned and level-triggered on the guest's hart; each deactivate finds its line high and it is acknowledged again, and only the guest's service, which cannot run meanwhile, lowers it")
    }

    func livelock(_ h: Int, reason: String) -> ReplayError {
        ReplayError("livelock at \(now) ns: the IAR loop (iar_loop=1) under \(strategy.rawValue) never returns to the guest on hart \(h): \(reason) (docs/model.md G.12)")
    }

    /// The IAR read's effect: M, a device source, or 1023.
    func acknowledge(_ h: Int) throws {
        programs[h].iarReads += 1
        if programs[h].iarReads > Self.iarLoopLimit {
            throw livelock(h, reason: "GICC_IAR was read \(programs[h].iarReads) times in one sequence")
        }
        let id = gic.claim(context: h)
        if id == 0 {
            programs[h].sawSpurious = true
            return
        }
        if id == GIC.maintenanceInterrupt {
            maintenanceIRQs += 1
            // G.12 decision 12: a sequence that begins with M does not loop.
            if programs[h].iarReads == 1 { harts[h].kind = .maintenance }
            programs[h].owed.append(.maintHandler)
            return
        }
        let d = core.dispatch(claimed: id, context: h)
        harts[h].dispatch = d
        harts[h].irq = id
        claimed(id, on: h)
        programs[h].rateMask = d.end.contains(.rateLimitCheck)
            && core.rateLimitCheck(id, now: now, window: scenario.ratelimitWindow, limit: scenario.ratelimitCount)
        switch d.target {
        case .host:
            programs[h].owed.append(.hostISR)
            oweEnd(h, d.end)
        case .guest:
            programs[h].owed.append(.gicInject)
        case .unhandled, .spurious:
            oweEnd(h, d.end)
        }
    }

    /// The LR write (or the queue insert) of a guest-owned source; on another hart, the inject's
    /// effect reaches the vCPU `ipi` later (docs/model.md §6, G.12 decision 7).
    func injectEffect(_ h: Int) {
        let d = harts[h].dispatch
        if case .guest(_, let virq) = d.target {
            if let delay = injectDelay(from: h) {
                ipis.append(DelayedInject(time: now + delay, seq: nextSeq(), virq: virq))
            } else {
                let outcome = vcpu.inject(virq: virq)
                if outcome.isStorm { m.stormIRQs += 1 }
                programs[h].injectMerged = outcome == .merged
                if outcome.spilled && scenario.lrOverflowCost > 0 { programs[h].owed.append(.lrOverflowCost) }
            }
        }
        core.finishHandler(d)
        oweEnd(h, d.end)
    }

    /// The controller type's `end` as steps.
    func oweEnd(_ h: Int, _ ops: OperationList) {
        Self.appendEndSteps(ops, rateMask: programs[h].rateMask, to: &programs[h].owed)
    }

    /// The steps of `ops`; `rateMask`: the rate check at the claim asked for a mask.
    static func appendEndSteps(_ ops: OperationList, rateMask: Bool, to list: inout StepList) {
        for op in ops {
            switch op {
            case .priorityDrop: list.append(.gicEOIR)
            case .deactivate: list.append(.gicDIR)
            case .complete: list.append(.gicEOIR); list.append(.gicDIR)
            case .mask: list.append(.mask)
            case .unmask: list.append(.unmask)
            case .rateLimitCheck: if rateMask { list.append(.rateMask) }
            case .enable, .disable, .retrigger: break
            }
        }
    }

    /// maint_handler's effect: the EOI'd entries are cleared (their vIRQs kept in order for the
    /// EOI steps), and the number of refills is fixed (G.12 decision 15).
    func maintenanceHandler(_ h: Int) {
        eoiHead = 0
        var n = 0
        vcpu.clearEOIEntries { virq in
            eoiEntries[n] = virq
            n += 1
        }
        programs[h].eoiSteps = maintenanceEOIStep == nil ? 0 : n
        programs[h].refills = min(vcpu.freeListRegisters, vcpu.queueLength)
        programs[h].maintenanceEnd = true
    }

    /// The current step list ran out: list what is owed, then the IAR loop's next read or
    /// trap_exit. False once trap_exit has run.
    func gicSequenceDrained(_ h: Int) -> Bool {
        if harts[h].steps[harts[h].steps.count - 1] == .trapExit { return false }
        var p = programs[h]
        var s = p.owed
        p.owed = StepList()
        if let step = maintenanceEOIStep {
            while p.eoiSteps > 0 && s.count < StepList.capacity { s.append(step); p.eoiSteps -= 1 }
        }
        while p.eoiSteps == 0 && p.refills > 0 && s.count < StepList.capacity { s.append(.lrRefill); p.refills -= 1 }
        if p.eoiSteps == 0 && p.refills == 0 && p.maintenanceEnd && s.count + 2 <= StepList.capacity {
            s.append(.maintEOIR); s.append(.maintDIR)
            p.maintenanceEnd = false
        }
        if s.count == 0 {
            s.append(scenario.iarLoop != 0 && harts[h].kind == .dispatch && !p.sawSpurious ? .gicIAR : .trapExit)
        }
        programs[h] = p
        harts[h].steps = s
        harts[h].index = 0
        return true
    }
}
