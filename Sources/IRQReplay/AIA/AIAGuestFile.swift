import IRQCore
import IRQTrace

/// The guest's handler under `guest_irqchip = vaplic-msi` (docs/model.md Part A, A.6): it claims
/// from its own guest interrupt file without a trap (`vtopei` guest work), and only a level
/// source's EOI traps (a `setipnum` write to the emulated APLIC); an edge source's handler ends
/// without one.
extension AIAMachine {
    /// The guest's work of the current phase completed. True when the guest-file view handled it.
    func guestFileWorkEnded() -> Bool {
        switch guest.phase {
        case .virqEntry:
            guest.phase = .familyWork
            guest.remaining = scenario.vtopei
        case .familyWork:
            vtopeiEffect()
        case .service:
            let s = guest.serviceSource
            deviceConsumed(s)
            if trigger[s] == RequestKind.edge.rawValue {
                // No EOI write for an edge source: leaving the handler ends its in-service state.
                _ = core.guestComplete(domain: Self.domain, virq: guest.virq)
                guest.phase = .idle
            } else {
                guest.phase = .vcompletePending
            }
        default:
            return false
        }
        return true
    }

    /// The end of `vtopei`: the lowest pending identity of the guest file enters service. Under
    /// aia-guest-file it is the physical interrupt itself (the APLIC sent it to this file), so
    /// this is also the physical claim (docs/model.md Part A, A.9 `physical_irqs`).
    func vtopeiEffect() {
        let virq = vguest.claim()
        guest.virq = virq
        guard virq != 0 else {
            guest.phase = .idle
            return
        }
        m.guestInterrupts += 1
        guest.vclaimAt = now
        let irq = core.irq(forVirq: virq, domain: Self.domain)
        if strategy == .aiaGuestFile && irq != 0 && !isHost[irq] {
            claimed(irq, on: guestHart)
        }
        guest.phase = .servicePending
    }
}
