/// The state field of a list register (GICH_LR<n>.State).
public enum ListRegisterState: UInt32, Sendable {
    case invalid = 0, pending = 1, active = 2, pendingActive = 3
}

/// One GICv2 list register, GICH_LR<n>, in its architectural layout: VirtualID [9:0],
/// PhysicalID [19:10] (with HW = 0, bit 19 is EOI: ask for a maintenance interrupt when the
/// guest's EOI makes the entry invalid), Priority [27:23], State [29:28], HW [31].
///
/// The priority field holds the model's priority (1...7, higher = more urgent, docs/model.md
/// G.1), not the GIC's inverted encoding: only the order matters, and 1...7 fit in 5 bits.
public struct ListRegister: Equatable, Sendable {
    public var raw: UInt32

    public init(raw: UInt32) { self.raw = raw }

    /// An entry for `virq`, pending. With `hw`, the guest's EOI deactivates `physicalID`; without
    /// it, `eoi` asks for an EOI maintenance interrupt.
    public init(virq: Int, priority: UInt32, hw: Bool, eoi: Bool, physicalID: Int) {
        var r = UInt32(virq) & 0x3ff
        r |= (priority & 0x1f) << 23
        r |= ListRegisterState.pending.rawValue << 28
        if hw {
            r |= (UInt32(physicalID) & 0x3ff) << 10
            r |= 1 << 31
        } else if eoi {
            r |= 1 << 19
        }
        raw = r
    }

    public var virq: Int { Int(raw & 0x3ff) }
    public var priority: UInt32 { (raw >> 23) & 0x1f }
    public var hw: Bool { raw & (1 << 31) != 0 }
    /// HW = 1: the physical interrupt the guest's EOI deactivates.
    public var physicalID: Int { hw ? Int((raw >> 10) & 0x3ff) : 0 }
    /// HW = 0: EOI maintenance requested.
    public var eoi: Bool { !hw && raw & (1 << 19) != 0 }
    public var state: ListRegisterState {
        get { ListRegisterState(rawValue: (raw >> 28) & 3)! }
        set { raw = raw & ~(3 << 28) | newValue.rawValue << 28 }
    }
    public var isValid: Bool { state != .invalid }
    /// Invalid after a guest EOI that asked for maintenance: its EISR bit is set until the
    /// hypervisor clears the entry (QEMU's gic_lr_entry_is_eoi).
    public var awaitsMaintenance: Bool { state == .invalid && eoi }
    /// Invalid and not awaiting maintenance: the hypervisor may write it (ELRSR).
    public var isFree: Bool { state == .invalid && !eoi }
}

/// How the hypervisor fills list registers for a strategy (docs/model.md G.6).
public struct ListRegisterMode: Equatable, Sendable {
    /// The guest's EOI deactivates the physical interrupt (the HW bit).
    public var hw: Bool
    /// Without HW: the guest's EOI raises an EOI maintenance interrupt.
    public var eoi: Bool

    public init(hw: Bool, eoi: Bool) {
        self.hw = hw
        self.eoi = eoi
    }
}

/// Which entry gives way when every list register is taken (`lr_policy`).
public enum ListRegisterPolicy: String, Sendable, CaseIterable {
    /// Evict a lower-priority pending entry to the overflow queue, which is kept in priority
    /// order (Xen, Bao, KVM).
    case priority
    /// Never evict; the queue refills in arrival order (Jailhouse).
    case fifo
}

/// When the hypervisor wants a maintenance interrupt to refill (`lr_refill`), while its
/// overflow queue is not empty.
public enum ListRegisterRefill: String, Sendable, CaseIterable {
    /// GICH_HCR.UIE: at most one list register valid (Xen, KVM, Jailhouse).
    case underflow
    /// GICH_HCR.NPIE: no list register pending (Bao).
    case noPending = "no-pending"
}

/// What an inject did to the list registers (docs/model.md G.3, steps 1-5).
public enum InjectOutcome: Equatable, Sendable {
    /// Already pending in a list register, or already queued.
    case merged
    /// In a list register as active (HW = 0): now active and pending.
    case pendingActive
    /// Written into a free list register.
    case written
    /// Took the list register of a lower-priority pending entry, which went to the queue.
    case evicted
    /// Appended to the overflow queue.
    case overflowed

    /// The guest already had it (`storm_irqs`).
    public var isStorm: Bool { self == .merged || self == .pendingActive }
    /// The hypervisor had to spill (what `lr_overflow_cost` charges).
    public var spilled: Bool { self == .evicted || self == .overflowed }
}
