import Synchronization

/// Where an APLIC in MSI mode sends its MSIs: the harts' IMSICs, at once (`IMSICDelivery`) or
/// after a travel delay (the replay's own receiver, which delivers through `IMSICDelivery` later).
public protocol MSIReceiver: AnyObject, Sendable {
    /// An MSI carrying `eiid` to interrupt file `file` of `hart`. `edge` says whether its source is
    /// an edge source; it travels with the MSI for the accounting only (a merged edge is a lost one).
    func receiveMSI(hart: Int, file: Int, eiid: Int, edge: Bool)
}

/// Delivers MSIs into the IMSIC's files, with the accounting of docs/model.md Part A (A.4, A.6):
/// an MSI that finds its `eip` bit already set merges (`msis_merged`; for an edge source also a
/// lost edge); one written into a guest's file is also checked like an inject (`storm_irqs`).
public final class IMSICDelivery: MSIReceiver, @unchecked Sendable {
    public let imsic: IMSIC
    /// The guest files whose guests keep in-service state, by (hart, file); nil elsewhere.
    private let guestFiles: [GuestInterruptFile?]
    private let merged = Atomic<UInt64>(0)
    private let mergedEdges = Atomic<UInt64>(0)
    private let storms = Atomic<UInt64>(0)

    public init(imsic: IMSIC, guestFiles: [GuestInterruptFile] = []) {
        self.imsic = imsic
        var bound = [GuestInterruptFile?](repeating: nil, count: imsic.harts * imsic.filesPerHart)
        for g in guestFiles {
            precondition(g.imsic === imsic)
            bound[g.hart * imsic.filesPerHart + g.file] = g
        }
        self.guestFiles = bound
    }

    @inline(__always)
    public func receiveMSI(hart: Int, file: Int, eiid: Int, edge: Bool) {
        let alreadyPending: Bool
        if let g = guestFiles[hart * imsic.filesPerHart + file] {
            let d = g.deliver(eiid)
            alreadyPending = d.alreadyPending
            if d.isStorm { storms.wrappingAdd(1, ordering: .relaxed) }
        } else {
            alreadyPending = imsic.seteipnum(hart: hart, file: file, eiid)
        }
        if alreadyPending {
            merged.wrappingAdd(1, ordering: .relaxed)
            if edge { mergedEdges.wrappingAdd(1, ordering: .relaxed) }
        }
    }

    /// MSIs that found their identity already pending.
    public var msisMerged: UInt64 { merged.load(ordering: .relaxed) }
    /// Those of them from edge sources: edges lost in the merge.
    public var mergedEdgeMSIs: UInt64 { mergedEdges.load(ordering: .relaxed) }
    /// MSIs into a guest's file that found the vIRQ pending or in service.
    public var guestStorms: UInt64 { storms.load(ordering: .relaxed) }
}
