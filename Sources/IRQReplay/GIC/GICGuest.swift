import IRQCore

/// The guest's two untrapped steps on the GIC, run as the common guest's `.familyWork`.
enum GICGuestStep { case acknowledge, eoi }

/// The guest's handler on the GIC (docs/model.md G.4): virq_entry, then the acknowledge (GICV_IAR,
/// or with `direct` the physical GICC_IAR) and the EOI (GICV_EOIR / GICC_EOIR) as guest work with
/// no trap, the service between them. A physical interrupt still preempts any of it (§5).
extension GICMachine {
    /// A piece of guest work completed; true when it was one of the GIC handler's (all are: the
    /// trapped vclaim and vcomplete of §6 never happen on the GIC).
    func gicGuestWorkEnded() throws -> Bool {
        switch guest.phase {
        case .virqEntry:
            startGuestStep(.acknowledge, scenario.guestIAR)
        case .familyWork where guestStep == .acknowledge:
            guestAcknowledged()
        case .service:
            deviceConsumed(guest.serviceSource)
            startGuestStep(.eoi, scenario.guestEOIR)
        case .familyWork:
            let (irq, path) = core.guestComplete(domain: Self.domain, virq: guest.virq)
            if case .hardware(let ops) = path, irq != 0 {
                for op in ops {
                    core.perform(op, irq: irq)
                    if op == .deactivate { reopened(irq) }
                }
            }
            guest.phase = .idle
        default:
            preconditionFailure("guest work ended in phase \(guest.phase)")
        }
        return true
    }

    /// The next guest step is owed; the common guest starts it when the hart decides (a physical
    /// interrupt that is takeable then goes first, §5).
    func startGuestStep(_ step: GICGuestStep, _ cost: UInt64) {
        guestStep = step
        guest.phase = .familyWork
        guest.remaining = cost
    }

    /// The acknowledge's effect: the vIRQ the handler services (request_to_guest ends here), or
    /// none and the handler returns.
    func guestAcknowledged() {
        var virq = 0
        if direct {
            // The guest reads the physical CPU interface: a physical IRQ the hypervisor never sees.
            let id = gic.claim(context: guestHart)
            if id != 0 && id != GIC.maintenanceInterrupt {
                let d = core.dispatch(claimed: id, context: guestHart)
                core.finishHandler(d)
                claimed(id, on: guestHart)
                if case .guest(_, let v) = d.target { virq = v }
            }
        } else {
            virq = vcpu.acknowledge()
        }
        guest.virq = virq
        if virq == 0 {
            guest.phase = .idle
            return
        }
        m.guestInterrupts += 1
        guest.vclaimAt = now
        guest.phase = .servicePending
    }
}
