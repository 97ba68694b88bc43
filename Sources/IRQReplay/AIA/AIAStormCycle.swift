import IRQCore

/// The AIA's storm cycles (StormFastForward.swift, docs/performance.md), with the guest's vPLIC
/// view and MSIs delivered at once. In direct mode `claimi` leaves a guest-owned level source
/// pending while its line is high (docs/model.md Part A, A.3), so host-end's dispatch (trap entry,
/// claim, inject, trap exit; host-end-ratelimit's too while the limiter does not mask) is taken
/// again after `guest_min_run` and changes nothing of the APLIC: no step reopens the source. In
/// MSI mode the claim from the supervisor file clears its identity and the `setipnum` re-trigger
/// sets the source pending from its high line, which sends one MSI that sets the identity again
/// (A.4): the APLIC and the IMSIC are as before, and each cycle counts one re-trigger, one
/// effective re-trigger and one MSI sent (`stormCyclesSkipped`). The guest-file view and MSIs in
/// flight (`msi_latency`) are left to the cycle-by-cycle replay.
extension AIAMachine {
    static let directStormCycle = StormCycle([.trapEntry, .claim, .inject, .trapExit], claim: .claim, reopen: nil)
    static let msiStormCycle = StormCycle([.trapEntry, .topeiClaim, .inject, .setipnum, .trapExit],
                                          claim: .topeiClaim, reopen: .setipnum)

    /// The cycle of this machine's set-up, or nil.
    var aiaStormCycle: StormCycle? {
        guard !guestFileView && delayedMSIs == nil else { return nil }
        return mode == .direct ? Self.directStormCycle : Self.msiStormCycle
    }

    func aiaDispatchWasStormCycle(_ h: Int) -> Bool {
        guard let cycle = stormCycle else { return false }
        return harts[h].steps == cycle.steps
    }

    func aiaStormCyclesSkipped(_ k: UInt64) {
        if mode == .msi { aplic.countRetriggersSendingMSIs(k) }
    }
}
