/// A physical interrupt controller as the shared descriptor table sees it (Linux's `irq_chip`,
/// Xen's `hw_interrupt_type` callbacks). One conformer per controller family (the PLIC today);
/// each family's folder holds its chip, its virtual controller and its controller types.
///
/// Every method may be called from several threads at once (live mode): conformers keep their
/// state in atomic words.
public protocol InterruptChip: AnyObject, Sendable {
    /// Interrupt contexts the hypervisor claims from: one per hart.
    var contexts: Int { get }
    /// Takes the interrupt the context should service next (PLIC claim, APLIC claimi, IMSIC
    /// topei, GIC IAR); 0 when there is none.
    func claim(context: Int) -> Int
    /// Lets the claimed source fire again, written to the context recorded at claim. Returns false
    /// when the controller ignored it (a stray complete).
    func complete(context: Int, _ irq: Int) -> Bool
    /// Stops the source from being signalled without losing its pending state.
    func mask(_ irq: Int)
    func unmask(_ irq: Int)
    func setEnabled(_ irq: Int, context: Int, _ on: Bool)
    func isEnabled(_ irq: Int, context: Int) -> Bool
    /// The priority the source was configured with (masking does not change it).
    func configuredPriority(_ irq: Int) -> UInt32
    /// The controller types of this chip: what do_IRQ's `end` and the guest's EOI do physically.
    var hostType: HwInterruptType { get }
    /// The guest type for `strategy`, or nil when the strategy cannot run on this chip.
    func guestType(for strategy: EndStrategy) -> HwInterruptType?
    /// Operations beyond complete/mask/unmask/enable/disable (a family's own, e.g. a split
    /// priority drop and deactivate). Returns false when the controller ignored it.
    func performChipOperation(_ op: ControllerOperation, irq: Int, context: Int) -> Bool
    /// The descriptor table's timed do_IRQ steps over this chip: `IRQDescriptorTable.beginDispatch`
    /// and `perform` call these. Not for a conformer to write: the defaults (Dispatch.swift) are the
    /// table's own code, and as this chip's witnesses they are compiled for this chip's type, so
    /// the chip's claim, complete, mask and unmask are direct calls there (inlined) instead of one
    /// more call through this protocol each.
    func beginDispatch(in table: IRQDescriptorTable, context: Int) -> Dispatch
    func perform(_ op: ControllerOperation, in table: IRQDescriptorTable, irq: Int) -> Bool
}

extension InterruptChip {
    public func performChipOperation(_ op: ControllerOperation, irq: Int, context: Int) -> Bool {
        preconditionFailure("\(Self.self) has no operation \(op)")
    }
}

/// The interrupt controller a guest domain sees: pending and in-service per vIRQ (a vPLIC, a guest
/// interrupt file, a GIC virtual CPU interface).
public protocol VirtualInterruptController: AnyObject, Sendable {
    /// The priority the guest sees for `virq`.
    func setPriority(_ virq: Int, _ p: UInt32)
    /// Makes `virq` pending; true when it already was pending or in service (a storm inject).
    func inject(_ virq: Int) -> Bool
    var hasPending: Bool { get }
    /// The guest's claim: the vIRQ it services next leaves pending and enters service; 0 for none.
    func claim() -> Int
    /// The guest's virtual complete: `virq` leaves service.
    func complete(_ virq: Int)
}
