/// Supervisor guest external interrupts (docs/model.md Part A, A.5): with `sgei_when_descheduled`,
/// the hypervisor arms `hgeie` for the vCPU's guest file at every end of the vCPU's runnable
/// window; while armed and the file signals (`hgeip`), the vCPU's hart takes an SGEI like a
/// physical interrupt. The handler disarms it; the next window start disarms it too. The schedule
/// is fixed, so the SGEI costs hypervisor time but does not run the vCPU earlier.
extension AIAMachine {
    /// hgeie is armed only while the vCPU is out of its window, in the off-period where the
    /// handler has not disarmed it yet.
    func sgeiPending(_ h: Int) -> Bool {
        guard scenario.sgeiWhenDescheduled == 1, guestFileView, h == guestHart,
              let period = scenario.vcpuPeriod, !scenario.runnable(at: now) else { return false }
        return now / period != hgeieClearedInPeriod && vguest.hasPending
    }

    /// The SGEI handler's effect (KVM's hgei_interrupt): hgeie cleared, the vCPU kicked.
    func sgeiHandled() {
        sgeiTraps += 1
        if let period = scenario.vcpuPeriod, !scenario.runnable(at: now) { hgeieClearedInPeriod = now / period }
    }
}
