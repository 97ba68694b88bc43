/// The status bits of one IRQ descriptor, all in one atomic word (Xen's `desc->status`).
///
/// Each bit's contract, which every path that reads or writes it honours. The bits are inlinable
/// constants: code inlined into other modules (the replay) reads them without a call.
public struct IRQStatus: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    @inlinable public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Handler active - do not free guest info; release waits for this bit to clear.
    @inlinable public static var inProgress: IRQStatus { IRQStatus(rawValue: 1 << 0) }
    /// IRQ disabled - do not dispatch; a claim of it is completed without a handler.
    @inlinable public static var disabled: IRQStatus { IRQStatus(rawValue: 1 << 1) }
    /// Routed to a guest - the guest info slot is valid while the descriptor lock is held or inProgress is set.
    @inlinable public static var guest: IRQStatus { IRQStatus(rawValue: 1 << 2) }
    /// Injected into the guest and not yet completed by it (the vIRQ is pending or in service).
    @inlinable public static var guestPending: IRQStatus { IRQStatus(rawValue: 1 << 3) }
    /// Masked at the PLIC (priority 0) by the end strategy; an unmask is owed.
    @inlinable public static var masked: IRQStatus { IRQStatus(rawValue: 1 << 4) }
    /// Masked by the rate limiter; a timer owes the unmask, the guest's complete does not.
    @inlinable public static var rateLimited: IRQStatus { IRQStatus(rawValue: 1 << 5) }
    /// Claimed and its physical end not yet written: the PLIC's complete (the gateway is closed on
    /// our behalf), or the APLIC's level re-trigger.
    @inlinable public static var awaitingComplete: IRQStatus { IRQStatus(rawValue: 1 << 6) }
    /// Set up (startup done): enabled in the PLIC for its target context.
    @inlinable public static var started: IRQStatus { IRQStatus(rawValue: 1 << 7) }
}
