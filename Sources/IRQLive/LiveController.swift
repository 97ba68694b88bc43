import IRQCore
import IRQReplay
import IRQTrace

/// What live mode needs of an interrupt-controller family: the descriptor table over its chip (with
/// the guest's virtual controller as domain 1), the device's signals, what a hart sees, and where
/// the family's rules differ from "every operation of the controller type runs". One conformer per
/// family, in its own file; `LiveController.make` picks it by `irqchip`.
///
/// Every method may be called from several threads at once (device, harts, guest).
protocol LiveController: AnyObject, Sendable {
    var table: IRQDescriptorTable { get }
    /// The chip's set-up of source `s` before the table routes it (trigger, priority, target).
    func configure(_ s: Int, kind: RequestKind, setting: SourceSetting) throws
    /// A request reached the controller: the level line is high, or one edge.
    func raise(_ s: Int, kind: RequestKind)
    /// The handler took the last unit of level source `s`: its line falls.
    func lower(_ s: Int)
    /// Hart `h` sees an external interrupt.
    func hasInterrupt(hart h: Int) -> Bool
    /// Whether `op` of a controller type (its `end`, or the guest's EOI path) is performed for
    /// source `s`; a family omits some for some sources.
    func performs(_ op: ControllerOperation, source s: Int) -> Bool
    /// The operation after which a claimed source may fire again (`claim_to_complete` ends there),
    /// for a host-owned source or a guest-owned one; nil when none exists.
    func reopeningOperation(host: Bool) -> ControllerOperation?
    /// The guest's claim of source `s` is itself the physical claim (no hypervisor dispatch).
    func guestClaimIsPhysical(_ s: Int) -> Bool
    /// The guest's EOI of source `s` is a write that runs the guest type's operations (false: the
    /// handler ends with no write at all).
    func guestEOIWrites(source s: Int) -> Bool
    /// The chip's own counters at the end of a run.
    func finish(_ m: inout LiveMetrics)
    /// The guest sees an interrupt to take.
    func guestHasPending() -> Bool
    /// The guest's acknowledge: the vIRQ it services next, or 0.
    func guestClaim() -> Int
    /// A hart's claim returned `id`, an interrupt of the controller's own rather than a source's
    /// (a GIC maintenance interrupt): handle it and return true. `ending(s)` runs the guest EOI
    /// path's operations of source `s` where the handler ends its interrupt.
    func handleOwnInterrupt(_ id: Int, hart h: Int, ending: (Int) -> Void) -> Bool
}

extension LiveController {
    func guestClaimIsPhysical(_ s: Int) -> Bool { false }
    func guestEOIWrites(source s: Int) -> Bool { true }
    /// The guest's virtual controller has a vIRQ pending.
    func guestHasPending() -> Bool { table.guest(LiveRun.domain).hasPending }
    /// The guest's virtual controller's claim.
    func guestClaim() -> Int { table.guest(LiveRun.domain).claim() }
    func handleOwnInterrupt(_ id: Int, hart h: Int, ending: (Int) -> Void) -> Bool { false }
}

enum LiveControllers {
    /// The family's live controller for `config` (its `irqchip`), once the scenario, the strategy
    /// and the source settings have been checked against each other.
    static func make(_ config: LiveConfig) throws -> any LiveController {
        do {
            try config.scenario.validate()
            try config.scenario.check(strategy: config.strategy, sources: config.sources)
        } catch { throw LiveError("\(error)") }
        switch config.scenario.irqchip {
        case .plic: return PLICLive(config)
        case .aplicDirect, .aplicMSI: return AIALive(config)
        case .gicv2: return try GICLive(config)
        }
    }
}
