/// The GIC's controller types (docs/model.md G.6), as Xen's gic-v2.c: `gicv2_host_irq_type` ends
/// with EOIR + DIR, `gicv2_guest_irq_type` with EOIR only, because the guest's EOI deactivates
/// through the list register's HW bit. Every type shares start-up (ISENABLER, then the target),
/// shut-down, enable, disable and ack; only `end` and the guest EOI path differ.
extension GIC {
    static func controllerType(end: OperationList, guestEOI: GuestEOIPath) -> HwInterruptType {
        HwInterruptType(
            typename: "gic-v2", startup: [.unmask, .enable], shutdown: [.disable], enable: [.enable],
            disable: [.disable], ack: [], end: end, guestEOI: guestEOI)
    }

    /// Host-owned sources: the handler ran, so drop the priority and deactivate.
    public static let hostType = controllerType(end: [.priorityDrop, .deactivate], guestEOI: .hardware([]))

    /// The guest type of each GIC strategy; nil for the strategies of other families.
    public static func guestType(for strategy: EndStrategy) -> HwInterruptType? {
        switch strategy {
        // The guest's EOI only retires the list register: nothing physical.
        case .hostEnd: controllerType(end: [.priorityDrop, .deactivate], guestEOI: .hardware([]))
        // The interrupt stays active until the EOI maintenance interrupt's DIR.
        case .guestEnd: controllerType(end: [.priorityDrop], guestEOI: .maintenance([.deactivate]))
        case .maskUnmask:
            controllerType(end: [.mask, .priorityDrop, .deactivate], guestEOI: .maintenance([.unmask]))
        // Xen's guest type: the HW bit makes the guest's EOI the deactivation.
        case .hwEOI: controllerType(end: [.priorityDrop], guestEOI: .hardware([.deactivate]))
        case .hostEndRatelimit:
            controllerType(end: [.priorityDrop, .deactivate, .rateLimitCheck], guestEOI: .hardware([]))
        // No hypervisor in the path: the guest acknowledges at the physical CPU interface and its
        // EOI (EOImode 0) deactivates.
        case .direct: controllerType(end: [], guestEOI: .hardware([.deactivate]))
        case .hostEndNoretrigger, .aiaGuestFile: nil
        }
    }

    /// The strategies the GIC runs, in documentation order.
    public static let strategies: [EndStrategy] = EndStrategy.allCases.filter { guestType(for: $0) != nil }

    /// How the hypervisor writes list registers for `type`: the HW bit when the guest's EOI
    /// deactivates in hardware, the EOI bit when the deactivation waits for a maintenance
    /// interrupt.
    public static func listRegisterMode(for type: HwInterruptType) -> ListRegisterMode {
        switch type.guestEOI {
        case .hardware(let ops): ListRegisterMode(hw: ops.contains(.deactivate), eoi: false)
        case .maintenance: ListRegisterMode(hw: false, eoi: true)
        case .trap: ListRegisterMode(hw: false, eoi: false)
        }
    }

    public var hostType: HwInterruptType { GIC.hostType }
    public func guestType(for strategy: EndStrategy) -> HwInterruptType? { GIC.guestType(for: strategy) }

    /// EOImode 1's priority drop changes no state of the model; the deactivate is `complete`.
    public func performChipOperation(_ op: ControllerOperation, irq: Int, context: Int) -> Bool {
        switch op {
        case .priorityDrop: return true
        case .deactivate: return complete(context: context, irq)
        default: preconditionFailure("GIC has no operation \(op)")
        }
    }
}

extension GIC: InterruptChip {}

extension IRQDescriptorTable {
    /// A GIC table whose one guest domain sees `vcpu`, attached to the vCPU's hart.
    public convenience init(gic: GIC, strategy: EndStrategy, vcpu: GICVirtualCPUInterface, vcpuContext: Int) {
        gic.attach(vcpu, context: vcpuContext)
        self.init(chip: gic, strategy: strategy, guests: [vcpu])
    }
}
