import IRQCore

/// The GIC's storm cycle (StormFastForward.swift, docs/performance.md): under a guest type whose
/// `end` drops the priority and deactivates in the dispatch (host-end, host-end-ratelimit), a
/// guest-owned level source whose line stays high is signalled again at its DIR (docs/model.md
/// G.2). One dispatch then reads GICC_IAR once (the source becomes active: its line keeps it
/// pending), merges the inject into the entry the guest already has pending (or active and
/// pending, or queued), writes EOIR (no state of the model's) and DIR (inactive again) and
/// returns. The distributor, the CPU interface, the list registers, the overflow queue and the
/// counts `maintenance_irqs`, `lr_overflows`, `lr_evictions`, `lr_refills` and `spurious_claims`
/// are as before, and the sequence program is set afresh by the next dispatch.
extension GICMachine {
    /// The cycle for a guest type whose `end` is `end`, or nil when its dispatch does not reopen a
    /// guest-owned source (guest-end and hw-eoi leave it active for the guest's EOI; mask-unmask
    /// masks it; direct never dispatches it).
    static func stormCycle(guestEnd end: OperationList) -> StormCycle? {
        var steps = StepList()
        appendEndSteps(end, rateMask: false, to: &steps)
        guard steps.count == 2, steps[0] == .gicEOIR, steps[1] == .gicDIR else { return nil }
        return StormCycle([.trapEntry, .gicIAR, .gicInject, .gicEOIR, .gicDIR, .trapExit],
                          claim: .gicIAR, reopen: .gicDIR)
    }

    /// The dispatch that returned on `h` was the cycle when it read GICC_IAR once (no IAR loop,
    /// whose reads end with a spurious one; not the maintenance interrupt, a sequence of its own
    /// kind), its inject merged (nothing spilled, no list register written) and the rate limiter
    /// did not mask.
    func gicDispatchWasStormCycle(_ h: Int) -> Bool {
        let p = programs[h]
        return stormCycle != nil && p.iarReads == 1 && p.injectMerged && !p.rateMask && !p.sawSpurious
    }
}
