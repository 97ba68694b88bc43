/// The AIA as the model's hypervisor sets it up (docs/model.md Part A): one APLIC domain in direct
/// or MSI delivery mode, the harts' IMSICs (MSI mode, and the guest files any mode may have), the
/// delivery of MSIs into them, and the vCPU's guest interrupt file. The replay and live mode build
/// the same platform, so both run the same interrupt logic.
public final class AIAPlatform: @unchecked Sendable {
    public let aplic: APLIC
    public let imsic: IMSIC
    /// MSIs straight into the files, with the merge and storm accounting.
    public let delivery: IMSICDelivery
    /// The vCPU's guest interrupt file (file 1 of the vCPU's hart: the lowest free one, as KVM
    /// takes), when the hart has guest files.
    public let guestFile: GuestInterruptFile?

    public init(mode: APLIC.DeliveryMode, harts: Int, guestFiles: Int, guestHart: Int) {
        precondition(guestHart >= 0 && guestHart < harts)
        imsic = IMSIC(harts: harts, guestFiles: guestFiles)
        aplic = APLIC(mode: mode, harts: harts, imsic: imsic)
        let file = guestFiles >= 1 ? GuestInterruptFile(imsic: imsic, hart: guestHart, file: 1) : nil
        guestFile = file
        delivery = IMSICDelivery(imsic: imsic, guestFiles: file.map { [$0] } ?? [])
        aplic.msiReceiver = delivery
    }

    /// Edges lost: merged into a pending bit at the APLIC, or as an MSI into a pending identity.
    public var lostEdges: UInt64 { aplic.mergedEdges + delivery.mergedEdgeMSIs }

    /// The chip's set-up of source `s` before the descriptor table routes it: its mode (Edge1 or
    /// Level1), its priority (IPRIO or EIID), its identity enabled in every hart's supervisor file
    /// (the hypervisor takes it wherever the source is targeted); with `toGuestFile` (MSI mode),
    /// its MSIs go to the vCPU's guest file instead: the hypervisor rewrote the target the guest
    /// programmed in its vAPLIC.
    public func configure(_ s: Int, edge: Bool, priority: UInt32, toGuestFile: Bool) {
        aplic.setSourceMode(s, edge ? .edge1 : .level1)
        aplic.setPriority(s, priority)
        for h in 0..<imsic.harts { imsic.setEnabled(hart: h, file: 0, s, true) }
        if toGuestFile {
            guard let g = guestFile else { preconditionFailure("no guest interrupt file for source \(s)") }
            aplic.setGuestIndex(s, g.file)
            imsic.setEnabled(hart: g.hart, file: g.file, s, true)
        }
    }
}
