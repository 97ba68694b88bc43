/// The fit of docs/validation.md for the ZCU104 (C1-C6) as code: every derived value is computed
/// here from the fit-set measurements, and its arithmetic text from the same numbers, so the text
/// a user reads in `irqbench platforms NAME` is the computation that set the value.
enum ZCU104Fit {
    // Splits no measurement identifies (docs/validation.md "The fit"): GIC-400 register accesses
    // and the hypervisor's list-register write keep the model's defaults on every hypervisor.
    static let claimMMIO: UInt64 = 100
    static let inject: UInt64 = 50
    static let eoirWrite: UInt64 = 50
    static let dirWrite: UInt64 = 50
    static let guestIAR: UInt64 = 15
    static let guestEOIR: UInt64 = 15
    /// List registers refilled by one maintenance trap at positions 4, 7 and 10 (L - 1 with L = 4).
    static let refillsPerSpike: UInt64 = 3

    static let splitReason = "the measurements give only sums that include this step, never the step alone; the model's default is kept, the same on every hypervisor (docs/validation.md, The fit)"

    private static func f(_ v: Double) -> String { Measurement.format(v) }
    private static func round(_ v: Double) -> UInt64 { UInt64(max(0, v).rounded()) }

    // MARK: C1: the guest's entry, from bare metal

    /// C1: `virq_entry` = bare-metal irqlat - `guest_iar`.
    static var virqEntry: PresetParameter {
        let m = PublishedMeasurements.irqlatBaremetal
        let v = round(m.meanNs) - guestIAR
        return PresetParameter("virq_entry", v, .derived(from: [m], arithmetic:
            "C1: bare-metal irqlat \(f(m.meanNs)) -> \(round(m.meanNs)) (exception entry + IAR + handler call, no hypervisor) - guest_iar \(guestIAR) = \(v)"))
    }

    /// virq_entry + guest_iar: the model's native interrupt latency (222).
    static var nativeLatency: UInt64 { round(PublishedMeasurements.irqlatBaremetal.meanNs) }

    // MARK: C4: the irqstorm handler (a workload of `irqbench validate`, not a platform parameter)

    /// Per-unit work of the storm handler: position 1 (the first handler also raises the second
    /// batch: two units) minus the steady interval (one unit), both bare metal.
    static var stormPerUnit: (value: UInt64, arithmetic: String) {
        let p1 = PublishedMeasurements.stormPos1Baremetal, st = PublishedMeasurements.stormSteadyBaremetal
        let v = round(p1.meanNs) - round(st.meanNs)
        return (v, "C4: bare-metal storm position 1 \(f(p1.meanNs)) - steady interval \(f(st.meanNs)) -> \(round(p1.meanNs)) - \(round(st.meanNs)) = \(v)")
    }

    /// Fixed part of the storm handler: steady interval - native latency - guest_eoir - per_unit.
    static var stormService: (value: UInt64, arithmetic: String) {
        let st = PublishedMeasurements.stormSteadyBaremetal
        let v = round(st.meanNs) - nativeLatency - guestEOIR - stormPerUnit.value
        return (v, "C4: bare-metal steady interval \(round(st.meanNs)) - native latency \(nativeLatency) - guest_eoir \(guestEOIR) - per_unit \(stormPerUnit.value) = \(v)")
    }

    /// The model's steady storm interval: every handler but the first (count 1).
    static var steadyInterval: UInt64 { nativeLatency + stormService.value + stormPerUnit.value + guestEOIR }

    // MARK: C2, C5, C6 per hypervisor

    /// What the fit needs to know about one hypervisor.
    struct Hypervisor {
        let name: String
        let irqlat: Measurement
        /// Reads GICC_IAR until 1023 in every dispatch (one more `claim_mmio` per trap).
        let iarLoop: Bool
        /// The timer interrupt of irqlat is the hypervisor's own (Xen's vtimer_interrupt): it also
        /// deactivates it (one `dir_write`), instead of linking it to the guest with the HW bit.
        let timerDeactivatedByHypervisor: Bool
        /// The first refill spike (position 4), when it sets `maint_handler`.
        let spike: Measurement?
        /// `maint_handler` read in the code instead (Xen's empty handler).
        let maintHandlerRead: (value: UInt64, citation: Citation, what: String)?
        let trapLat: Measurement
        let sgiLat: Measurement
        let ipiLat: Measurement
    }

    /// The hypervisor steps of the irqlat path besides trap_entry + trap_exit, with their names.
    static func dispatchSteps(_ h: Hypervisor) -> [(String, UInt64)] {
        var steps: [(String, UInt64)] = [("claim_mmio", claimMMIO), ("inject", inject), ("eoir_write", eoirWrite)]
        if h.timerDeactivatedByHypervisor { steps.append(("dir_write (own timer PPI)", dirWrite)) }
        if h.iarLoop { steps.append(("claim_mmio (iar_loop's final IAR)", claimMMIO)) }
        return steps
    }

    /// C2: trap_entry + trap_exit = (irqlat - bare-metal irqlat) - the other dispatch steps.
    static func trapTotal(_ h: Hypervisor) -> (value: UInt64, arithmetic: String) {
        let bare = PublishedMeasurements.irqlatBaremetal
        let hyp = h.irqlat.meanNs - bare.meanNs
        let steps = dispatchSteps(h)
        let rest = steps.reduce(0) { $0 + $1.1 }
        let total = hyp - Double(rest)
        let terms = steps.map { "\($0.0) \($0.1)" }.joined(separator: " - ")
        return (round(total), "C2: irqlat \(h.name) \(f(h.irqlat.meanNs)) - bare metal \(f(bare.meanNs)) = \(f(hyp)) of hypervisor; - \(terms) = \(f(total)) -> \(round(total)) for trap_entry + trap_exit")
    }

    static func trapParameters(_ h: Hypervisor) -> [PresetParameter] {
        let (total, text) = trapTotal(h)
        let entry = (total + 1) / 2
        let ms = [h.irqlat, PublishedMeasurements.irqlatBaremetal]
        return [
            PresetParameter("trap_entry", entry, .derived(from: ms, arithmetic: text + "; split evenly (chosen): \(entry)")),
            PresetParameter("trap_exit", total - entry, .derived(from: ms, arithmetic: text + "; split evenly (chosen): \(total - entry)")),
        ]
    }

    /// C5: maint_handler = spike - steady interval - the rest of the maintenance sequence.
    static func maintHandler(_ h: Hypervisor) -> PresetParameter {
        if let r = h.maintHandlerRead { return PresetParameter("maint_handler", r.value, .read(r.citation, what: r.what)) }
        guard let spike = h.spike else { preconditionFailure("\(h.name): no spike and no read maint_handler") }
        let trap = trapTotal(h).value
        let sequence = trap + claimMMIO + refillsPerSpike * inject + eoirWrite + dirWrite
        let v = spike.meanNs - Double(steadyInterval) - Double(sequence)
        return PresetParameter("maint_handler", round(v), .derived(from: [spike, h.irqlat, PublishedMeasurements.irqlatBaremetal], arithmetic:
            "C5: storm position 4 \(h.name) \(f(spike.meanNs)) - steady interval \(steadyInterval) - (trap_entry + trap_exit \(trap) + IAR \(claimMMIO) + \(refillsPerSpike) refills x inject \(inject) + EOIR \(eoirWrite) + DIR \(dirWrite)) = \(f(v)) -> \(round(v))"))
    }

    /// C6: vmmio = trapped SGIR write - the native write - trap_entry - trap_exit.
    static func vmmio(_ h: Hypervisor) -> PresetParameter {
        let native = PublishedMeasurements.trapBaremetal
        let trap = trapTotal(h).value
        let v = h.trapLat.meanNs - native.meanNs - Double(trap)
        return PresetParameter("vmmio", round(v), .derived(from: [h.trapLat, native, h.irqlat, PublishedMeasurements.irqlatBaremetal], arithmetic:
            "C6: ipi trap-lat \(h.name) \(f(h.trapLat.meanNs)) - bare-metal SGIR write \(f(native.meanNs)) - trap_entry + trap_exit \(trap) = \(f(v)) -> \(round(v)) (a trapped vGICD access)"))
    }

    /// The cross-core delay: from the timestamp inside the sender's SGI emulation to the target
    /// handler, minus the target guest's entry (the model charges the target's trap nothing).
    static func ipi(_ h: Hypervisor) -> PresetParameter {
        let v = h.ipiLat.meanNs - h.sgiLat.meanNs - Double(nativeLatency)
        return PresetParameter("ipi", round(v), .derived(from: [h.ipiLat, h.sgiLat, PublishedMeasurements.irqlatBaremetal], arithmetic:
            "ipi-lat \(h.name) \(f(h.ipiLat.meanNs)) - sgi-lat \(f(h.sgiLat.meanNs)) - native latency \(nativeLatency) (virq_entry + guest_iar) = \(f(v)) -> \(round(v)); includes the target core's own trap, which the model does not charge on the receiving hart"))
    }
}
