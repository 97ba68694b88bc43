import Synchronization

/// The fixed-size descriptor table for PLIC sources 1...1023 (Linux's irqdesc.c, Xen's irq_desc[]).
///
/// Per descriptor: the status word (`IRQStatus`), a spinlock word, the controller type, the
/// context recorded at claim, the target context and the guest-info slot. Guest info (owning
/// domain, vIRQ) lives in a fixed pool of slots: route takes a free slot, release returns it only
/// after no dispatch can still read it. All of it is one allocation of atomic words made at
/// set-up; nothing allocates afterwards.
public final class IRQDescriptorTable: @unchecked Sendable {
    public static let count = PLIC.sourceCount
    public static let maxDomains = 8

    public let plic: PLIC
    /// One vPLIC per guest domain (index = domain - 1).
    public let vplics: [VPLIC]
    /// The controller type given to guest-routed descriptors (the end strategy).
    public let guestType: HwInterruptType
    public let strategy: EndStrategy

    // Offsets into `words`.
    static let statusAt = 0
    static let lockAt = count
    static let typeAt = 2 * count
    static let claimContextAt = 3 * count
    static let targetAt = 4 * count
    static let slotAt = 5 * count
    static let slotDomainAt = 6 * count
    static let slotVirqAt = 7 * count
    static let slotFreeAt = 8 * count
    static let virqMapAt = 8 * count + 32
    static let rateStartAt = virqMapAt + maxDomains * count
    static let rateCountAt = rateStartAt + 2 * count
    static let total = rateCountAt + count

    let words = AtomicWords(count: IRQDescriptorTable.total)

    enum TypeIndex: UInt32 { case none = 0, host = 1, guest = 2 }

    public init(plic: PLIC, strategy: EndStrategy, domains: Int = 1) {
        precondition(domains >= 1 && domains <= IRQDescriptorTable.maxDomains)
        self.plic = plic
        self.strategy = strategy
        self.guestType = strategy.guestType
        self.vplics = (0..<domains).map { _ in VPLIC() }
        // Slot 0 is never used, so a slot field of 0 means "no guest info".
        for w in 0..<32 { words.store(Self.slotFreeAt + w, w == 0 ? ~1 : ~0) }
    }

    // MARK: Status and lock

    public func status(_ irq: Int) -> IRQStatus {
        IRQStatus(rawValue: words.load(Self.statusAt + irq, .acquiring))
    }

    @inline(__always)
    func setStatus(_ irq: Int, _ s: IRQStatus, _ order: Order = .relaxed) {
        words.or(Self.statusAt + irq, s.rawValue, order)
    }

    @inline(__always)
    func clearStatus(_ irq: Int, _ s: IRQStatus, _ order: Order = .relaxed) {
        words.clear(Self.statusAt + irq, s.rawValue, order)
    }

    /// `spin_lock(&desc->lock)`.
    @inline(__always)
    func lock(_ irq: Int) {
        while !words.compareExchange(Self.lockAt + irq, expected: 0, desired: 1, .acquiring).exchanged {
            while words.load(Self.lockAt + irq) != 0 {}
        }
    }

    /// `spin_unlock(&desc->lock)`: a release store, the write-side counterpart of every reader
    /// that acquires the lock.
    @inline(__always)
    func unlock(_ irq: Int) { words.store(Self.lockAt + irq, 0, .releasing) }

    // MARK: Descriptor fields

    /// The context recorded by the last claim of `irq` ("ack records which context claimed it").
    public func claimContext(_ irq: Int) -> Int { Int(words.load(Self.claimContextAt + irq)) }
    public func targetContext(_ irq: Int) -> Int { Int(words.load(Self.targetAt + irq)) }

    public func controllerType(_ irq: Int) -> HwInterruptType? {
        switch TypeIndex(rawValue: words.load(Self.typeAt + irq)) {
        case .host: .host
        case .guest: guestType
        default: nil
        }
    }

    /// The vPLIC of `domain` (1-based).
    @inline(__always)
    public func vplic(_ domain: Int) -> VPLIC { vplics[domain - 1] }

    /// The physical IRQ bound to `virq` in `domain`, or 0.
    public func irq(forVirq virq: Int, domain: Int) -> Int {
        guard domain >= 1 && domain <= vplics.count && virq >= 1 && virq < Self.count else { return 0 }
        return Int(words.load(Self.virqMapAt + (domain - 1) * Self.count + virq, .acquiring))
    }
}
