/// The PLIC's controller types (docs/model.md §7). Every type shares the PLIC's start-up,
/// shut-down, enable, disable and ack; only `end` (after the handler or the inject) and
/// `guestEOI` (what the guest's vcomplete does physically) differ, as Xen's
/// `gicv2_host_irq_type` and `gicv2_guest_irq_type` differ only in `.end`.
extension PLIC {
    static func controllerType(end: OperationList, guestEOI: GuestEOIPath) -> HwInterruptType {
        HwInterruptType(
            typename: "plic", startup: [.unmask, .enable], shutdown: [.disable], enable: [.enable],
            disable: [.disable], ack: [], end: end, guestEOI: guestEOI)
    }

    /// Host-owned sources: the handler ran, so complete at once.
    public static let hostType = controllerType(end: [.complete], guestEOI: .trap([]))

    /// The guest type of each PLIC strategy; nil for the strategies of other families.
    public static func guestType(for strategy: EndStrategy) -> HwInterruptType? {
        switch strategy {
        case .hostEnd: controllerType(end: [.complete], guestEOI: .trap([]))
        case .guestEnd: controllerType(end: [], guestEOI: .trap([.complete]))
        case .maskUnmask: controllerType(end: [.mask, .complete], guestEOI: .trap([.unmask]))
        case .hwEOI: controllerType(end: [], guestEOI: .hardware([.complete]))
        case .hostEndRatelimit: controllerType(end: [.complete, .rateLimitCheck], guestEOI: .trap([]))
        case .hostEndNoretrigger, .aiaGuestFile, .direct: nil
        }
    }

    public var hostType: HwInterruptType { PLIC.hostType }
    public func guestType(for strategy: EndStrategy) -> HwInterruptType? { PLIC.guestType(for: strategy) }
}

extension PLIC: InterruptChip {}
extension VPLIC: VirtualInterruptController {}
