import IRQCore
import IRQReplay
import IRQTrace

/// The AIA family in live mode (docs/model.md Part A): the same platform the replay builds (an
/// APLIC in direct or MSI mode, the IMSICs, the vCPU's guest file), driven by real threads. MSIs
/// are delivered at once (`msi_latency` is a simulated cost, like the others), and the guest
/// thread is always runnable, so no SGEI occurs.
final class AIALive: LiveController, @unchecked Sendable {
    let platform: AIAPlatform
    let table: IRQDescriptorTable
    let strategy: EndStrategy
    let guestFileView: Bool
    let guestHart: UInt64

    init(_ config: LiveConfig) {
        let s = config.scenario
        guard let mode = s.irqchip.aplicMode else { preconditionFailure("not an AIA irqchip") }
        platform = AIAPlatform(mode: mode, harts: config.harts, guestFiles: Int(s.guestFiles), guestHart: Int(s.guestHart))
        guestFileView = s.guestIRQChip == .vaplicMSI
        let view: any VirtualInterruptController = guestFileView ? platform.guestFile! : VPLIC()
        table = IRQDescriptorTable(chip: platform.aplic, strategy: config.strategy, guests: [view])
        strategy = config.strategy
        guestHart = s.guestHart
    }

    func configure(_ s: Int, kind: RequestKind, setting: SourceSetting) throws {
        let toGuestFile = strategy == .aiaGuestFile && setting.owner == .guest
        if toGuestFile && setting.targetHart != guestHart {
            throw LiveError(Scenario.guestFileTargetError(source: s, targetHart: setting.targetHart, guestHart: guestHart))
        }
        platform.configure(s, edge: kind == .edge, priority: setting.priority, toGuestFile: toGuestFile)
    }

    func raise(_ s: Int, kind: RequestKind) {
        if kind == .edge { platform.aplic.edge(s) } else { platform.aplic.setLine(s, high: true) }
    }

    func lower(_ s: Int) { platform.aplic.setLine(s, high: false) }

    func hasInterrupt(hart h: Int) -> Bool { platform.aplic.hasInterrupt(context: h) }

    func performs(_ op: ControllerOperation, source s: Int) -> Bool {
        platform.aplic.performs(op, source: s, guestFileView: guestFileView)
    }

    func reopeningOperation(host: Bool) -> ControllerOperation? {
        platform.aplic.reopeningOperation(for: strategy, host: host)
    }

    /// Under aia-guest-file the source's MSIs land in the guest's file: the guest's claim is the
    /// physical one.
    func guestClaimIsPhysical(_ s: Int) -> Bool { platform.aplic.mode == .msi && platform.aplic.guestIndex(s) != 0 }

    /// With the guest-file view only a level source's EOI is a (trapped) write; an edge source's
    /// handler just ends.
    func guestEOIWrites(source s: Int) -> Bool { !guestFileView || !platform.aplic.isEdge(s) }

    /// The live mode's vCPU is always runnable: no SGEI.
    func finish(_ m: inout LiveMetrics) {
        m.spuriousClaims = platform.aplic.spuriousClaims
        m.lostEdges = platform.lostEdges
        m.strayCompletes = 0
        m.stormIRQs += platform.delivery.guestStorms
        m.aia = AIACounts(platform, sgeiTraps: 0, unservedRequests: m.unconsumedRequests)
    }
}
