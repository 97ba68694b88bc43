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
        // Cases after `timerUnmask` are a family's own.
        guard following.index <= Step.timerUnmask.index, following != .hostISR else { return false }
        let c2 = stepCost(following)
        guard c2 > 0 else { return false }
        _ = nextSeq()  // the trap entry's own
        harts[h].index = i
        harts[h].folded = 1
        foldedTrapEntries &+= 1
        harts[h].stepCost = c + c2
        harts[h].stepEnd = now + c + c2
        harts[h].stepSeq = nextSeq()
        return true
    }
}
