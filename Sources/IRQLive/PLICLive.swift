import IRQCore
import IRQReplay
import IRQTrace

/// The PLIC family in live mode (docs/model.md §3): the atomic PLIC and a vPLIC per guest.
final class PLICLive: LiveController, @unchecked Sendable {
    let plic: PLIC
    let table: IRQDescriptorTable
    let strategy: EndStrategy

    init(_ config: LiveConfig) {
        plic = PLIC(contexts: config.harts, edgeQueue: UInt32(clamping: config.scenario.edgeQueue))
        table = IRQDescriptorTable(plic: plic, strategy: config.strategy)
        strategy = config.strategy
    }

    func configure(_ s: Int, kind: RequestKind, setting: SourceSetting) throws {
        plic.setEdgeTriggered(s, kind == .edge)
        plic.setPriority(s, setting.priority)
    }

    func raise(_ s: Int, kind: RequestKind) {
        if kind == .edge { plic.edge(s) } else { plic.setLine(s, high: true) }
    }

    func lower(_ s: Int) { plic.setLine(s, high: false) }

    func hasInterrupt(hart h: Int) -> Bool { plic.hasInterrupt(context: h) }

    func performs(_ op: ControllerOperation, source s: Int) -> Bool { true }

    func reopeningOperation(host: Bool) -> ControllerOperation? { host ? .complete : strategy.reopeningOperation }

    func finish(_ m: inout LiveMetrics) {
        m.spuriousClaims = plic.spuriousClaims
        m.lostEdges = plic.lostEdges
        m.strayCompletes = plic.strayCompletes
    }
}
