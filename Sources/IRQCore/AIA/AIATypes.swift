/// The APLIC's controller types (docs/model.md Part A, A.7). Every type of one delivery mode shares
/// start-up (setienum at the target), shut-down (clrienum), enable, disable and ack; only `end`
/// (after the handler or the inject) and `guestEOI` (what the guest's EOI does physically) differ,
/// as for the PLIC.
///
/// Direct mode has no complete at all (a claim does not close anything), so its types never end
/// with one. MSI mode ends a level interrupt with the re-trigger (`setipnum`), which the APLIC
/// ignores for edge sources.
extension APLIC {
    static func controllerType(_ mode: DeliveryMode, end: OperationList, guestEOI: GuestEOIPath) -> HwInterruptType {
        HwInterruptType(
            typename: mode == .direct ? "aplic-direct" : "aplic-msi", startup: [.enable, .unmask],
            shutdown: [.disable], enable: [.enable], disable: [.disable], ack: [], end: end, guestEOI: guestEOI)
    }

    /// Host-owned sources: the handler ran; MSI mode re-triggers (the line is low by now).
    public static func hostType(_ mode: DeliveryMode) -> HwInterruptType {
        controllerType(mode, end: mode == .direct ? [] : [.retrigger], guestEOI: .trap([]))
    }

    /// The guest type of each strategy on this delivery mode; nil where it cannot run.
    public static func guestType(_ mode: DeliveryMode, for strategy: EndStrategy) -> HwInterruptType? {
        switch (mode, strategy) {
        // Direct: claimi does not clear a level source, so there is nothing to hold closed and
        // guest-end is host-end; only masking (clrienum) stops the source.
        case (.direct, .hostEnd), (.direct, .guestEnd): controllerType(mode, end: [], guestEOI: .trap([]))
        case (.direct, .maskUnmask): controllerType(mode, end: [.mask], guestEOI: .trap([.unmask]))
        case (.direct, .hostEndRatelimit): controllerType(mode, end: [.rateLimitCheck], guestEOI: .trap([]))
        case (.msi, .hostEnd): controllerType(mode, end: [.retrigger], guestEOI: .trap([]))
        case (.msi, .guestEnd): controllerType(mode, end: [], guestEOI: .trap([.retrigger]))
        case (.msi, .maskUnmask): controllerType(mode, end: [.mask, .retrigger], guestEOI: .trap([.unmask]))
        // The rate check's mask goes before the re-trigger, so its MSI cannot escape the mask.
        case (.msi, .hostEndRatelimit): controllerType(mode, end: [.rateLimitCheck, .retrigger], guestEOI: .trap([]))
        case (.msi, .hostEndNoretrigger): controllerType(mode, end: [], guestEOI: .trap([]))
        // The source's MSIs go to the guest's file: no dispatch; the guest's trapped EOI re-triggers.
        case (.msi, .aiaGuestFile): controllerType(mode, end: [], guestEOI: .trap([.retrigger]))
        case (_, .hwEOI), (_, .direct), (.direct, .hostEndNoretrigger), (.direct, .aiaGuestFile): nil
        }
    }

    public var hostType: HwInterruptType { APLIC.hostType(mode) }
    public func guestType(for strategy: EndStrategy) -> HwInterruptType? { APLIC.guestType(mode, for: strategy) }
}

extension APLIC {
    /// Whether the hypervisor performs `op` of a controller type for source `s` (docs/model.md
    /// Part A, A.7): no complete exists; the re-trigger only for a level source in MSI mode (for
    /// an edge source a `setipnum` would be a false edge); with the guest-file view (`guestFileView`),
    /// mask-unmask leaves edge sources unmasked, since their EOI does not trap and no unmask could
    /// follow.
    public func performs(_ op: ControllerOperation, source s: Int, guestFileView: Bool) -> Bool {
        switch op {
        case .complete: false
        case .retrigger: mode == .msi && isLevel(s)
        case .mask: !(guestFileView && isEdge(s))
        case .enable, .disable, .unmask, .rateLimitCheck, .priorityDrop, .deactivate: true
        }
    }

    /// The operation after which a claimed source may fire again (`claim_to_complete` ends there):
    /// the re-trigger in MSI mode, the unmask under mask-unmask; none in direct mode otherwise.
    public func reopeningOperation(for strategy: EndStrategy, host: Bool) -> ControllerOperation? {
        if !host && strategy == .maskUnmask { return .unmask }
        return mode == .msi ? .retrigger : nil
    }
}

extension APLIC: InterruptChip {
    public var contexts: Int { harts }

    /// Direct mode: read `claimi`. MSI mode: claim from the hart's supervisor file (`stopei`);
    /// an empty file is a spurious claim too.
    @inline(__always)
    public func claim(context: Int) -> Int {
        switch mode {
        case .direct: return claimi(hart: context)
        case .msi:
            let id = imsic!.claim(hart: context, file: 0)
            if id == 0 { countSpuriousClaim() }
            return id
        }
    }

    /// What lets a claimed source fire again: in MSI mode the level re-trigger; in direct mode
    /// nothing is owed (no complete exists). Never ignored: the APLIC has no stray complete.
    public func complete(context: Int, _ irq: Int) -> Bool {
        retrigger(irq)
        return true
    }

    public func mask(_ irq: Int) { clrienum(irq) }
    public func unmask(_ irq: Int) { setienum(irq) }

    /// Enabled in a context = targeted at that hart and enabled: enabling writes the target.
    public func setEnabled(_ irq: Int, context: Int, _ on: Bool) {
        if on { enable(irq, hart: context) } else if targetHart(irq) == context { clrienum(irq) }
    }

    public func isEnabled(_ irq: Int, context: Int) -> Bool { isEnabled(irq) && targetHart(irq) == context }

    public func configuredPriority(_ irq: Int) -> UInt32 { priority(irq) }

    public func performChipOperation(_ op: ControllerOperation, irq: Int, context: Int) -> Bool {
        guard op == .retrigger else { preconditionFailure("the APLIC has no operation \(op)") }
        retrigger(irq)
        return true
    }
}

extension IMSIC: MSIReceiver {
    /// An MSI written straight into a file, with no accounting (tests and simple set-ups).
    public func receiveMSI(hart: Int, file: Int, eiid: Int, edge: Bool) {
        seteipnum(hart: hart, file: file, eiid)
    }
}
