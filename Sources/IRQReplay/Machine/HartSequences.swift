import DequeModule
import IRQCore
import IRQTrace

/// One step of a HYP sequence (docs/model.md §5); its effect happens at its end. Cases added after
/// `timerUnmask` belong to controller families: `cost` and `endStep` hand them to the family's
/// hooks (`familyStepCost`, `familyStepEffect`).
enum Step: UInt8 {
    case trapEntry = 1, claim, hostISR, inject, complete, mask, unmask, trapExit
    /// The vPLIC access of a trapped vclaim / vcomplete.
    case vclaimMMIO, vcompleteMMIO
    /// The mask added by the rate limiter (starts the ratelimit_off timer).
    case rateMask
    /// The unmask of the rate limiter's timer sequence.
    case timerUnmask
    /// AIA (docs/model.md Part A): the claim from the hart's supervisor interrupt file (`stopei`),
    /// the level re-trigger (`setipnum`), and the SGEI handler.
    case topeiClaim, setipnum, sgeiHandler
    /// GIC (docs/model.md G.5): GICC_IAR read; LR write or queue insert; the extra cost of a
    /// spilled inject; GICC_EOIR and GICC_DIR of the acknowledged source; the maintenance handler;
    /// its EOI steps (DIR under guest-end, ISENABLER under mask-unmask); one LR refill; EOIR and
    /// DIR of the maintenance interrupt.
    case gicIAR, gicInject, lrOverflowCost, gicEOIR, gicDIR
    case maintHandler, maintEOIDeactivate, maintEOIUnmask, lrRefill, maintEOIR, maintDIR
}

extension Step {
    /// The case's place in the declaration (0, 1, ...): how a step is stored in a `StepList` and
    /// indexes `Machine.stepCosts` (a case's storage, unlike its raw value, needs no lookup).
    @inline(__always) var index: Int { Int(unsafeBitCast(self, to: UInt8.self)) }

    /// A controller family's own step (a case after `timerUnmask`): its cost and effect are the
    /// family's.
    @inline(__always) var isFamilyStep: Bool { index > Step.timerUnmask.index }

    /// A common step whose start does nothing, so that it may run as one happening with a trap
    /// entry before it (TrapEntryFolding.swift) or end in the pass of the step before it
    /// (StepChaining.swift): not a family's own, and not `hostISR`, which takes the device's units
    /// when it starts.
    @inline(__always) var startsWithoutEffect: Bool { !isFamilyStep && self != .hostISR }
}

/// What a hart's current HYP sequence is for. Families add their own kinds after `timer`.
enum SequenceKind: UInt8 {
    case dispatch, vclaimTrap, vcompleteTrap, timer
    /// AIA: a supervisor guest external interrupt (a guest file signalled while its vCPU is out).
    case sgei
    /// GIC: a sequence whose first IAR read returned the maintenance interrupt.
    case maintenance
}

/// Up to 16 steps packed in two words: sequences are built as they run, without allocation. A
/// family whose sequences can be longer (a loop of claims) appends more when the list drains
/// (`sequenceDrained`).
struct StepList: Equatable {
    private var low: UInt64 = 0
    private var high: UInt64 = 0
    private(set) var count = 0
    static let capacity = 16

    @inline(__always)
    mutating func append(_ s: Step) {
        precondition(count < Self.capacity, "HYP sequence longer than \(Self.capacity) steps")
        if count < 8 {
            low |= UInt64(s.index) << (8 * UInt64(count))
        } else {
            high |= UInt64(s.index) << (8 * UInt64(count - 8))
        }
        count += 1
    }

    @inline(__always)
    subscript(i: Int) -> Step {
        let word = i < 8 ? low : high
        // Only `append` writes the words, always with a Step's `index`.
        return unsafeBitCast(UInt8(truncatingIfNeeded: word >> (8 * UInt64(i & 7))), to: Step.self)
    }

    mutating func removeAll() { low = 0; high = 0; count = 0 }
}

struct HartState {
    var inHYP = false
    var kind = SequenceKind.dispatch
    var steps = StepList()
    var index = 0
    var stepEnd: UInt64 = 0
    var stepSeq: UInt64 = 0
    var stepCost: UInt64 = 0
    /// The IRQ the sequence is about (claimed, completed or unmasked).
    var irq = 0
    var dispatch = Dispatch(irq: 0, context: 0, target: .spurious, end: [])
    var lastReturn: UInt64 = 0
    var everLeft = false
    /// A decision is owed at this time (guest_min_run expiry); .max when none.
    var wake: UInt64 = .max
    /// Rate-limit unmasks whose timer fired, waiting for the hart to be in GUEST (they wait in
    /// `Machine.owedUnmasks`).
    var owed = 0
    /// Steps folded into the current one (a trap entry, TrapEntryFolding.swift): counted as
    /// happenings when it ends.
    var folded: UInt64 = 0
}

extension Machine {
    func cost(_ s: Step) -> UInt64 {
        switch s {
        case .trapEntry: scenario.trapEntry
        case .claim: scenario.claimMMIO
        case .hostISR: scenario.hostISR
        case .inject: scenario.inject
        case .complete: scenario.completeMMIO
        case .mask, .rateMask: scenario.maskMMIO
        case .unmask, .timerUnmask: scenario.unmaskMMIO
        case .trapExit: scenario.trapExit
        case .vclaimMMIO, .vcompleteMMIO: scenario.vmmio
        // A family's steps go here: `case .itsStep, ...: familyStepCost(s)`.
        case .topeiClaim, .setipnum, .sgeiHandler: familyStepCost(s)
        case .gicIAR, .gicInject, .lrOverflowCost, .gicEOIR, .gicDIR, .maintHandler, .maintEOIDeactivate,
             .maintEOIUnmask, .lrRefill, .maintEOIR, .maintDIR:
            familyStepCost(s)
        }
    }

    func startSequence(_ h: Int, _ kind: SequenceKind, _ steps: StepList, irq: Int) {
        enterSequence(h, kind, steps, irq: irq)
        harts[h].index = 0
        beginStep(h)
    }

    /// Starts one of the common sequences (`SequenceStarts`), its trap entry folded with the step
    /// after it as worked out when the run started.
    @inline(__always)
    func startSequence(_ h: Int, _ kind: SequenceKind, _ start: SequenceStart, irq: Int) {
        guard start.foldedCost > 0 else {
            startSequence(h, kind, start.steps, irq: irq)
            return
        }
        enterSequence(h, kind, start.steps, irq: irq)
        enterFoldedStep(h, at: 1, cost: start.foldedCost)
    }

    /// Hart `h` enters HYP for a sequence of `kind`.
    @inline(__always)
    func enterSequence(_ h: Int, _ kind: SequenceKind, _ steps: StepList, irq: Int) {
        if kind == .dispatch { stormWatchDispatchStarts(h) }
        if h == guestHart { pauseGuestWork() }
        harts[h].inHYP = true
        harts[h].kind = kind
        harts[h].steps = steps
        harts[h].irq = irq
    }

    /// The cost of `step` (docs/model.md §5.1), from `Machine.stepCosts`.
    @inline(__always)
    func stepCost(_ step: Step) -> UInt64 {
        let c = stepCosts[step.index]
        if c != .max { return c }
        let fresh = cost(step)
        if !stepCostVaries(step) { stepCosts[step.index] = fresh }
        return fresh
    }

    @inline(__always)
    func beginStep(_ h: Int) {
        let step = harts[h].steps[harts[h].index]
        let c = stepCost(step)
        if step == .trapEntry && foldTrapEntries && foldTrapEntry(h, cost: c) { return }
        if step == .hostISR {
            // The handler takes the units present when it starts.
            let s = harts[h].irq
            takenUnits[s] = work[s]
            ledger.take(source: s)
            let claimed = claimTime[s]
            ledger.forEachTaken(source: s) { t in recordLatency(.hostLatency, claimed - t) }
            if timeline != nil { timelineTaken(s, units: takenUnits[s], guestClaimAt: nil) }
        }
        harts[h].stepCost = c
        harts[h].stepEnd = now + c
        harts[h].stepSeq = nextSeq()
    }

}

/// The sequences' decisions and step ends, compiled per family (RunLoop.swift).
extension ControllerFamily {
    /// Hart `h` (in GUEST) decides what to do next, docs/model.md §5: an owed rate-limit unmask
    /// first, then a takeable physical interrupt, then (on the vCPU's hart) the guest's work.
    @inline(__always)
    func decide(_ h: Int) throws {
        if harts[h].owed > 0 {
            harts[h].owed -= 1
            let irq = owedUnmasks[h].removeFirst()
            startSequence(h, .timer, starts.timer, irq: irq)
            return
        }
        if hasPhysicalInterrupt(h) {
            let ready = harts[h].lastReturn + scenario.guestMinRun
            if !harts[h].everLeft || now >= ready {
                startPhysicalSequence(h)
                return
            }
            harts[h].wake = ready
        }
        if h == guestHart { try guestDecide() }
    }

    /// The current step of hart `h` ends: its effect, then the next step or the return to GUEST.
    /// The steps that follow may end in the same pass while each ends before `chainBefore`
    /// (StepChaining.swift; 0: never).
    @inline(__always)
    func endStep(_ h: Int, chainBefore limit: UInt64 = 0) throws {
        var step = harts[h].steps[harts[h].index]
        m.hypBusy += harts[h].stepCost
        if harts[h].folded > 0 {
            m.events += harts[h].folded
            harts[h].folded = 0
        }
        while true {
            m.simEnd = now
            try stepEffect(h, step)
            harts[h].index += 1
            guard harts[h].index < harts[h].steps.count else {
                nextOrReturn(h)
                return
            }
            guard limit > now, let next = chainNextStep(h, before: limit) else {
                beginStep(h)
                return
            }
            step = next
        }
    }

    /// What `step` of hart `h` does at its end (docs/model.md §5).
    @inline(__always)
    func stepEffect(_ h: Int, _ step: Step) throws {
        let irq = harts[h].irq
        switch step {
        case .trapEntry:
            break
        case .claim:
            claimEffect(h)
        case .hostISR:
            deviceConsumed(irq)
            core.finishHandler(harts[h].dispatch)
        case .inject:
            if case .guest(let domain, let virq) = harts[h].dispatch.target {
                if let delay = injectDelay(from: h) {
                    ipis.append(DelayedInject(time: now + delay, seq: nextSeq(), virq: virq))
                } else {
                    if core.inject(domain: domain, virq: virq) { m.stormIRQs += 1 }
                }
            }
            core.finishHandler(harts[h].dispatch)
        case .complete:
            let notStray = core.perform(.complete, irq: irq)
            if !notStray { claimOpen[irq] = false }
            let reopens = harts[h].kind == .dispatch
                ? (isHost[irq] || strategy != .maskUnmask)
                : strategy != .maskUnmask
            if notStray && reopens { reopened(irq) }
        case .mask:
            core.perform(.mask, irq: irq)
        case .rateMask:
            core.perform(.mask, irq: irq)
            timers.append(RateTimer(time: now + scenario.ratelimitOff, seq: nextSeq(), hart: h, irq: irq))
        case .unmask:
            core.perform(.unmask, irq: irq)
            if strategy == .maskUnmask && !isHost[irq] { reopened(irq) }
        case .timerUnmask:
            core.perform(.unmask, irq: irq)
        case .vclaimMMIO:
            vclaimEffect()
        case .vcompleteMMIO:
            vcompleteEffect(h)
        case .trapExit:
            break
        // A family's steps go here: `case .itsStep, ...: try familyStepEffect(h, step)`.
        case .topeiClaim, .setipnum, .sgeiHandler: try familyStepEffect(h, step)
        case .gicIAR, .gicInject, .lrOverflowCost, .gicEOIR, .gicDIR, .maintHandler, .maintEOIDeactivate,
             .maintEOIUnmask, .lrRefill, .maintEOIR, .maintDIR:
            try familyStepEffect(h, step)
        }
    }

    /// The steps of hart `h` ran out: a family may go on, else the hart returns to GUEST.
    @inline(__always)
    func nextOrReturn(_ h: Int) {
        // Compiled per family: the hook is a direct call, and the common default (false) inlines.
        if sequenceDrained(h) {
            beginStep(h)
            return
        }
        harts[h].inHYP = false
        harts[h].lastReturn = now
        harts[h].everLeft = true
        if harts[h].kind == .dispatch { stormWatchDispatchReturned(h) }
        sequenceReturned(h, harts[h].kind)
    }

    /// The claim's effect: do_IRQ up to the handler, and the rest of the sequence.
    // Inlined in the step ends: as a function of its own, LLVM merges the families' nearly equal
    // copies into one that reaches each family's calls through pointers (docs/performance.md).
    @inline(__always)
    func claimEffect(_ h: Int) {
        let d = core.beginDispatch(context: h)
        harts[h].dispatch = d
        harts[h].irq = d.irq
        var steps = harts[h].steps
        switch d.target {
        case .spurious:
            steps.append(.trapExit)
            harts[h].steps = steps
            return
        case .host:
            steps.append(.hostISR)
        case .guest:
            steps.append(.inject)
        case .unhandled:
            break
        }
        claimed(d.irq, on: h)
        for op in d.end {
            if op == .rateLimitCheck {
                if core.rateLimitCheck(d.irq, now: now, window: scenario.ratelimitWindow,
                                       limit: scenario.ratelimitCount) {
                    steps.append(.rateMask)
                }
            } else if let s = step(for: op, irq: d.irq) {
                steps.append(s)
            }
        }
        steps.append(.trapExit)
        harts[h].steps = steps
    }

}

extension Machine {
    /// The handler of `s` (guest service or host_isr) ends: its units leave the device; a level
    /// line falls when none are left.
    func deviceConsumed(_ s: Int) {
        work[s] -= takenUnits[s]
        takenUnits[s] = 0
        if work[s] == 0 && trigger[s] == RequestKind.level.rawValue { chipLineFell(s) }
        let done = now
        if timeline != nil { timelineDone(s) }
        m.consumedRequests += ledger.finish(source: s) { t in recordLatency(.requestToDone, done - t) }
    }
}
