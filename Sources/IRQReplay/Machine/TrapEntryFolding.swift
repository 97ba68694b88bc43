/// Trap-entry folding: a trap entry has no effect of its own (docs/model.md §5), so on a machine
/// where nothing else can be ordered between its end and the start of the step after it, the two
/// run as one happening that ends when the second would. The costs, effects, counts and sequence
/// numbers are the ones of the two steps; only a trip through the run loop is saved (about one
/// happening in four of a guest-end request, docs/performance.md).
///
/// When nothing can fall between them: with one hart, while the hart is in HYP the guest's work is
/// paused, no other hart injects, and a record reaching the chip changes nothing the sequence
/// reads before the next step's end; so the next step's sequence number, taken at the trap entry's
/// end, is the one taken at its start. The family says whether its own happenings keep that true
/// (`foldsTrapEntries`: the PLIC's do; a family with happenings scheduled by records, such as MSIs
/// in flight, or with step costs that depend on the state at a step's start, keeps the default).
/// The step after the entry must be a common one whose start does nothing (not `hostISR`, which
/// takes the device's units when it starts), and both costs must be above zero, so that the
/// instants are the ones the unfolded replay has. Off with `ReplayOptions.shortcuts` false, which
/// the shortcut tests compare against.
extension Machine {
    /// Starts the trap entry of hart `h` (cost `c`) folded with the step after it, if it may be;
    /// returns false to start it alone.
    @inline(__always)
    func foldTrapEntry(_ h: Int, cost c: UInt64) -> Bool {
        let i = harts[h].index + 1
        guard c > 0, i < harts[h].steps.count else { return false }
        let following = harts[h].steps[i]
        // A family's own step is never asked its cost here.
        let c2 = following.isFamilyStep ? 0 : stepCost(following)
        guard Self.folds(entryCost: c, with: following, cost: c2) else { return false }
        enterFoldedStep(h, at: i, cost: c + c2)
        return true
    }

    /// Whether a trap entry of cost `c` folds with `following` of cost `c2`.
    @inline(__always)
    static func folds(entryCost c: UInt64, with following: Step, cost c2: UInt64) -> Bool {
        c > 0 && c2 > 0 && following.startsWithoutEffect
    }

    /// Hart `h` starts the step at `i` folded with the trap entry before it, `cost` for both.
    @inline(__always)
    func enterFoldedStep(_ h: Int, at i: Int, cost: UInt64) {
        _ = nextSeq()  // the trap entry's own
        harts[h].index = i
        harts[h].folded = 1
        foldedTrapEntries &+= 1
        harts[h].stepCost = cost
        harts[h].stepEnd = now + cost
        harts[h].stepSeq = nextSeq()
    }
}

/// A common sequence's steps and, when its trap entry folds with the step after it, the cost of
/// the two as one (0 when they do not fold).
struct SequenceStart {
    var steps = StepList()
    var foldedCost: UInt64 = 0
}

/// The common sequences (docs/model.md §5): the dispatch, the vclaim and vcomplete traps and the
/// rate limiter's timer sequence. Their first steps and costs are fixed for a replay where trap
/// entries fold (the family's step costs are constants, `foldsTrapEntries`), so whether the entry
/// folds is worked out once when the run starts instead of at every start.
struct SequenceStarts {
    var dispatch = SequenceStart()
    var vclaim = SequenceStart()
    var vcomplete = SequenceStart()
    var timer = SequenceStart()

    init() {}

    init(_ machine: Machine) {
        func start(_ steps: [Step]) -> SequenceStart {
            var s = SequenceStart()
            for step in steps { s.steps.append(step) }
            if machine.foldTrapEntries {
                let c = machine.stepCost(.trapEntry), c2 = machine.stepCost(steps[1])
                if Machine.folds(entryCost: c, with: steps[1], cost: c2) { s.foldedCost = c + c2 }
            }
            return s
        }
        dispatch = start([.trapEntry, .claim])
        vclaim = start([.trapEntry, .vclaimMMIO, .trapExit])
        vcomplete = start([.trapEntry, .vcompleteMMIO, .trapExit])
        timer = start([.trapEntry, .timerUnmask, .trapExit])
    }
}
