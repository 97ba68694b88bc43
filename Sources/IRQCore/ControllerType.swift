/// One operation a controller type performs on the PLIC for a descriptor.
public enum PLICOperation: UInt8, Sendable {
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
}

/// Up to four operations, packed in one word so controller types stay plain constants.
public struct OperationList: Sendable, Equatable, Sequence, ExpressibleByArrayLiteral {
    @usableFromInline let packed: UInt32
    public let count: Int

    public init(arrayLiteral ops: PLICOperation...) {
        precondition(ops.count <= 4)
        var p: UInt32 = 0
        for (i, op) in ops.enumerated() { p |= UInt32(op.rawValue) << (8 * UInt32(i)) }
        packed = p
        count = ops.count
    }

    @inlinable
    public subscript(i: Int) -> PLICOperation {
        PLICOperation(rawValue: UInt8(truncatingIfNeeded: packed >> (8 * UInt32(i))))!
    }

    public var isEmpty: Bool { count == 0 }

    public struct Iterator: IteratorProtocol {
        let list: OperationList
        var i = 0
        public mutating func next() -> PLICOperation? {
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

    /// The PLIC's common operations; only `end` and `guestEOI` vary.
    static func plic(end: OperationList, guestEOI: GuestEOIPath) -> HwInterruptType {
        HwInterruptType(
            typename: "plic", startup: [.unmask, .enable], shutdown: [.disable], enable: [.enable],
            disable: [.disable], ack: [], end: end, guestEOI: guestEOI)
    }

    /// Host-owned sources: the handler ran, so complete at once.
    public static let host = plic(end: [.complete], guestEOI: .trap([]))
}

/// The end strategies of MODEL.md section 7: where the physical complete of a guest's level
/// interrupt happens.
public enum EndStrategy: String, Sendable, CaseIterable {
    case hostEnd = "host-end"
    case guestEnd = "guest-end"
    case maskUnmask = "mask-unmask"
    case hwEOI = "hw-eoi"
    case hostEndRatelimit = "host-end-ratelimit"

    /// The controller type of guest-owned sources under this strategy.
    public var guestType: HwInterruptType {
        switch self {
        case .hostEnd: HwInterruptType.plic(end: [.complete], guestEOI: .trap([]))
        case .guestEnd: HwInterruptType.plic(end: [], guestEOI: .trap([.complete]))
        case .maskUnmask: HwInterruptType.plic(end: [.mask, .complete], guestEOI: .trap([.unmask]))
        case .hwEOI: HwInterruptType.plic(end: [], guestEOI: .hardware([.complete]))
        case .hostEndRatelimit: HwInterruptType.plic(end: [.complete, .rateLimitCheck], guestEOI: .trap([]))
        }
    }

    /// The operation after which the source may fire again (MODEL.md `claim_to_complete`).
    public var reopeningOperation: PLICOperation { self == .maskUnmask ? .unmask : .complete }
}
