import Synchronization

/// The fixed-size descriptor table for sources 1...1023 (Linux's irqdesc.c, Xen's irq_desc[]),
/// shared by every controller family: the chip and the guests' virtual controllers plug in.
///
/// Per descriptor: the status word (`IRQStatus`), a spinlock word, the controller type, the
/// context recorded at claim, the target context and the guest-info slot. Guest info (owning
/// domain, vIRQ) lives in a fixed pool of slots: route takes a free slot, release returns it only
/// after no dispatch can still read it. All of it is one allocation of atomic words made at
/// set-up; nothing allocates afterwards.
public final class IRQDescriptorTable: @unchecked Sendable {
    public static let count = 1024
    public static let maxDomains = 8

    /// The physical controller (PLIC, APLIC, GIC...).
    public let chip: any InterruptChip
    /// One virtual controller per guest domain (index = domain - 1).
    public let guests: [any VirtualInterruptController]
    /// Domain 1's controller (the replay's only guest) in a field of its own: a call through an
    /// array element copies (retains and releases) it, a call through a `let` field borrows; the
    /// copies showed in the replay's profile at every inject and guest EOI (docs/performance.md).
    @usableFromInline let firstGuest: any VirtualInterruptController
    /// The controller type of host-owned descriptors.
    public let hostType: HwInterruptType
    /// The controller type given to guest-routed descriptors (the end strategy).
    public let guestType: HwInterruptType
    public let strategy: EndStrategy

    // Offsets into `words`.
    @usableFromInline static let statusAt = 0
    static let lockAt = count
    static let typeAt = 2 * count
    static let claimContextAt = 3 * count
    static let targetAt = 4 * count
    static let slotAt = 5 * count
    static let slotDomainAt = 6 * count
    static let slotVirqAt = 7 * count
    static let slotFreeAt = 8 * count
    @usableFromInline static let virqMapAt = 8 * count + 32
    static let rateStartAt = virqMapAt + maxDomains * count
    static let rateCountAt = rateStartAt + 2 * count
    static let total = rateCountAt + count

    @usableFromInline let words: AtomicWords

    enum TypeIndex: UInt32 { case none = 0, host = 1, guest = 2 }

    /// A table over `chip` whose guest-routed descriptors get `strategy`'s guest type; `guests`
    /// holds one virtual controller per domain. The chip must accept the strategy. `access`:
    /// `.exclusive` when one thread at a time drives the table (the replay; see `WordAccess`).
    public init(chip: any InterruptChip, strategy: EndStrategy, guests: [any VirtualInterruptController],
                access: WordAccess = .shared) {
        precondition(guests.count >= 1 && guests.count <= IRQDescriptorTable.maxDomains)
        guard let type = chip.guestType(for: strategy) else {
            preconditionFailure("\(type(of: chip)) cannot run strategy \(strategy.rawValue)")
        }
        self.chip = chip
        self.strategy = strategy
        self.hostType = chip.hostType
        self.guestType = type
        self.guests = guests
        firstGuest = guests[0]
        words = AtomicWords(count: Self.total, access: access)
        // Slot 0 is never used, so a slot field of 0 means "no guest info".
        for w in 0..<32 { words.store(Self.slotFreeAt + w, w == 0 ? ~1 : ~0) }
    }

    // MARK: Status and lock

    public func status(_ irq: Int) -> IRQStatus {
        IRQStatus(rawValue: words.load(Self.statusAt &+ irq, .acquiring))
    }

    @inline(__always)
    func setStatus(_ irq: Int, _ s: IRQStatus, _ order: Order = .relaxed) {
        words.or(Self.statusAt &+ irq, s.rawValue, order)
    }

    @inlinable @inline(__always)
    func clearStatus(_ irq: Int, _ s: IRQStatus, _ order: Order = .relaxed) {
        words.clear(Self.statusAt &+ irq, s.rawValue, order)
    }

    /// `spin_lock(&desc->lock)`.
    @inline(__always)
    func lock(_ irq: Int) {
        while !words.compareExchange(Self.lockAt &+ irq, expected: 0, desired: 1, .acquiring).exchanged {
            while words.load(Self.lockAt &+ irq) != 0 {}
        }
    }

    /// `spin_unlock(&desc->lock)`: a release store, the write-side counterpart of every reader
    /// that acquires the lock.
    @inline(__always)
    func unlock(_ irq: Int) { words.store(Self.lockAt &+ irq, 0, .releasing) }

    // MARK: Descriptor fields

    /// The context recorded by the last claim of `irq` ("ack records which context claimed it").
    public func claimContext(_ irq: Int) -> Int { Int(words.load(Self.claimContextAt &+ irq)) }
    public func targetContext(_ irq: Int) -> Int { Int(words.load(Self.targetAt + irq)) }

    public func controllerType(_ irq: Int) -> HwInterruptType? {
        switch TypeIndex(rawValue: words.load(Self.typeAt + irq)) {
        case .host: hostType
        case .guest: guestType
        default: nil
        }
    }

    /// The virtual controller of `domain` (1-based).
    @inline(__always)
    public func guest(_ domain: Int) -> any VirtualInterruptController { guests[domain - 1] }

    /// The physical IRQ bound to `virq` in `domain`, or 0. Inlinable: the replay asks at every
    /// guest service start and vcomplete.
    @inlinable @inline(__always)
    public func irq(forVirq virq: Int, domain: Int) -> Int {
        guard domain >= 1 && domain <= guests.count && virq >= 1 && virq < Self.count else { return 0 }
        return Int(words.load(Self.virqMapAt + (domain - 1) * Self.count + virq, .acquiring))
    }
}

extension IRQDescriptorTable {
    /// A PLIC table with one vPLIC per domain (docs/model.md §3, §6). `access` applies to the
    /// table and its vPLICs; the PLIC has its own.
    public convenience init(plic: PLIC, strategy: EndStrategy, domains: Int = 1, access: WordAccess = .shared) {
        self.init(chip: plic, strategy: strategy, guests: (0..<domains).map { _ in VPLIC(access: access) }, access: access)
    }

    /// The chip of a table made with `init(plic:strategy:domains:)`.
    public var plic: PLIC {
        guard let p = chip as? PLIC else { preconditionFailure("not a PLIC table: \(type(of: chip))") }
        return p
    }

    /// The vPLIC of `domain` in a table made with `init(plic:strategy:domains:)`.
    public func vplic(_ domain: Int) -> VPLIC {
        guard let v = guests[domain - 1] as? VPLIC else { preconditionFailure("domain \(domain) has no vPLIC") }
        return v
    }
}
