/// One operation a controller type performs on its chip for a descriptor.
public enum ControllerOperation: UInt8, Sendable {
    /// Enable the source in its target context.
    case enable
    /// Disable the source in every context.
    case disable
    /// Write the claimed ID back to the claiming context: opens the gateway.
    case complete
    /// Priority to 0 (Linux's PLIC masking); pending survives.
    case mask
    /// Restore the configured priority.
    case unmask
    /// Xen x86 irq_ratelimit: count the dispatch in its window; may append a mask.
    case rateLimitCheck
    /// GIC with split EOI (EOImode 1): the EOIR write drops the running priority; the interrupt
    /// stays active and is not signalled again.
    case priorityDrop
    /// GIC with split EOI: the DIR write deactivates; a level line still high is signalled again.
    case deactivate
    /// APLIC in MSI mode: the level re-trigger (`setipnum` of a level source; nothing for an edge
    /// source). Unlike a complete it is not tied to one claim: every guest EOI writes it again.
    case retrigger
}

/// Up to four operations, packed in one word so controller types stay plain constants.
public struct OperationList: Sendable, Equatable, Sequence, ExpressibleByArrayLiteral {
    @usableFromInline let packed: UInt32
    public let count: Int

    public init(arrayLiteral ops: ControllerOperation...) {
        precondition(ops.count <= 4)
        var p: UInt32 = 0
        for (i, op) in ops.enumerated() { p |= UInt32(op.rawValue) << (8 * UInt32(i)) }
        packed = p
        count = ops.count
    }

    @inlinable
    public subscript(i: Int) -> ControllerOperation {
        ControllerOperation(rawValue: UInt8(truncatingIfNeeded: packed >> (8 * UInt32(i))))!
    }

    public var isEmpty: Bool { count == 0 }

    public struct Iterator: IteratorProtocol {
        let list: OperationList
        var i = 0
        public mutating func next() -> ControllerOperation? {
            guard i < list.count else { return nil }
            defer { i += 1 }
            return list[i]
        }
    }
    public func makeIterator() -> Iterator { Iterator(list: self) }
}

/// How the guest's virtual complete reaches the physical interrupt.
public enum GuestEOIPath: Sendable, Equatable {
    /// vcomplete traps to the hypervisor, which runs the operations in the trap.
    case trap(OperationList)
    /// No trap: the hardware links the virtual EOI to the physical one (GIC HW bit, IMSIC).
    case hardware(OperationList)
    /// No trap at the EOI itself: it raises a maintenance interrupt (GIC list register with the
    /// EOI bit), whose handler in the hypervisor runs the operations.
    case maintenance(OperationList)

    /// The physical operations the guest's virtual complete owes, wherever they run.
    public var operations: OperationList {
        switch self { case .trap(let o), .hardware(let o), .maintenance(let o): o }
    }
}

/// A controller type in the style of Xen's `hw_interrupt_type`.
///
/// The host type and the guest types share every field but `end` (what do_IRQ does after the
/// handler or the inject) and `guestEOI` (what the guest's virtual complete does physically), as
/// in Xen's gic-v2.c where `gicv2_host_irq_type` and `gicv2_guest_irq_type` differ only in `.end`.
public struct HwInterruptType: Sendable, Equatable {
    public let typename: StaticString
    public let startup: OperationList
    public let shutdown: OperationList
    public let enable: OperationList
    public let disable: OperationList
    /// Runs after the claim: the claim itself already closed the gateway; ack records which
    /// context claimed (the descriptor keeps it for the complete).
    public let ack: OperationList
    public let end: OperationList
    public let guestEOI: GuestEOIPath

    public static func == (a: Self, b: Self) -> Bool {
        a.typename.description == b.typename.description && a.startup == b.startup
            && a.shutdown == b.shutdown && a.enable == b.enable && a.disable == b.disable
            && a.ack == b.ack && a.end == b.end && a.guestEOI == b.guestEOI
    }
}

/// The end strategies (docs/model.md §7 and the controller families' parts): where the physical
/// complete of a guest's level interrupt happens. Each chip says which of them it can run
/// (`InterruptChip.guestType(for:)`); the first five are the PLIC's.
public enum EndStrategy: String, Sendable, CaseIterable {
    case hostEnd = "host-end"
    case guestEnd = "guest-end"
    case maskUnmask = "mask-unmask"
    case hwEOI = "hw-eoi"
    case hostEndRatelimit = "host-end-ratelimit"
    /// APLIC in MSI mode: host-end without the level re-trigger (setipnum) at any EOI.
    case hostEndNoretrigger = "host-end-noretrigger"
    /// APLIC in MSI mode: the source's MSIs go straight into the vCPU's guest interrupt file.
    case aiaGuestFile = "aia-guest-file"
    /// GIC: the guest owns the physical CPU interface (Bao's direct injection); no hypervisor.
    case direct = "direct"

    /// The strategies of the PLIC model, in documentation order.
    public static let plicStrategies: [EndStrategy] = [.hostEnd, .guestEnd, .maskUnmask, .hwEOI, .hostEndRatelimit]

    /// The operation after which the source may fire again (docs/model.md `claim_to_complete`).
    public var reopeningOperation: ControllerOperation { self == .maskUnmask ? .unmask : .complete }
}
