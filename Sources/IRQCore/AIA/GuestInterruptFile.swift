/// What a guest sees under the `vaplic-msi` view (docs/model.md Part A, A.6): its hardware guest
/// interrupt file, which it claims from without a trap (`vstopei`), and its own record of the
/// interrupt it is handling (in-service is guest software state: it is inside the handler).
///
/// A vIRQ is pending while its `eip` bit is set in the file; identity order is priority (the
/// configured priority plays no role). Both the hypervisor's inject and an APLIC MSI routed to the
/// file write the same `eip` bit.
public final class GuestInterruptFile: @unchecked Sendable {
    public let imsic: IMSIC
    public let hart: Int
    public let file: Int
    private let inService = AtomicWords(count: IMSIC.wordsPerBitmap)

    public init(imsic: IMSIC, hart: Int, file: Int) {
        precondition(file >= 1 && file <= imsic.guestFiles, "guest interrupt file \(file) does not exist")
        self.imsic = imsic
        self.hart = hart
        self.file = file
    }

    /// What a write of `virq` into the file found.
    public struct Delivery: Sendable, Equatable {
        /// `eip` was already set: the write merged.
        public var alreadyPending: Bool
        /// The guest was handling `virq`.
        public var inService: Bool
        /// The storm check of docs/model.md Part A, A.6: the write brought the guest nothing new.
        public var isStorm: Bool { alreadyPending || inService }
    }

    /// A write of `virq` to the file's `seteipnum` (an inject or an MSI).
    @inline(__always)
    public func deliver(_ virq: Int) -> Delivery {
        let (w, b) = wordBit(virq)
        let busy = inService.load(w, .acquiring) & b != 0
        return Delivery(alreadyPending: imsic.seteipnum(hart: hart, file: file, virq), inService: busy)
    }

    public func isInService(_ virq: Int) -> Bool {
        let (w, b) = wordBit(virq)
        return inService.load(w) & b != 0
    }
}

extension GuestInterruptFile: VirtualInterruptController {
    /// The guest's driver enables the identity in its file (`eie`) when it sets the vIRQ up; the
    /// priority is not used (identity order).
    public func setPriority(_ virq: Int, _ p: UInt32) {
        imsic.setEnabled(hart: hart, file: file, virq, true)
    }

    /// The hypervisor writes `virq` into the file. True for a storm inject.
    @inline(__always)
    public func inject(_ virq: Int) -> Bool { deliver(virq).isStorm }

    public var hasPending: Bool { imsic.hasInterrupt(hart: hart, file: file) }

    /// `vstopei`: the lowest pending identity leaves `eip` and enters service; 0 for none.
    @inline(__always)
    public func claim() -> Int {
        let id = imsic.claim(hart: hart, file: file)
        if id != 0 {
            let (w, b) = wordBit(id)
            inService.or(w, b, .releasing)
        }
        return id
    }

    /// The guest leaves the handler of `virq`.
    @inline(__always)
    public func complete(_ virq: Int) {
        let (w, b) = wordBit(virq)
        inService.clear(w, b, .releasing)
    }
}
