import IRQCore

/// The interrupt controller the hypervisor drives (`irqchip`): one controller family each.
public enum IRQChipKind: String, Sendable, CaseIterable {
    /// The RISC-V PLIC (docs/model.md §3).
    case plic
    /// The RISC-V APLIC in direct delivery mode (docs/model.md Part A, A.3).
    case aplicDirect = "aplic-direct"
    /// The RISC-V APLIC in MSI delivery mode, with IMSICs (docs/model.md Part A, A.4).
    case aplicMSI = "aplic-msi"
    /// The Arm GICv2 with virtualization extensions (docs/model.md Part G).
    case gicv2

    /// The AIA's APLIC delivery mode; nil for the PLIC.
    public var aplicMode: APLIC.DeliveryMode? {
        switch self {
        case .plic, .gicv2: nil
        case .aplicDirect: .direct
        case .aplicMSI: .msi
        }
    }
}

/// The interrupt controller the guest sees (`guest_irqchip`).
public enum GuestIRQChipKind: String, Sendable, CaseIterable {
    /// An emulated PLIC whose claim and complete trap (docs/model.md §6).
    case vplic
    /// A hardware guest interrupt file (claimed without a trap) and an emulated APLIC in MSI mode
    /// (docs/model.md Part A, A.6).
    case vaplicMSI = "vaplic-msi"
}

/// The scenario parameters of docs/model.md: every cost and setting, integer ns where it is a time,
/// and the selectors whose values are names (the controllers). Names are snake_case;
/// `Scenario.parameterNames` lists them in the order they are documented and printed.
public struct Scenario: Equatable, Sendable {
    public var irqchip = IRQChipKind.plic
    public var guestIRQChip = GuestIRQChipKind.vplic
    public var harts: UInt64 = 1
    public var guestHart: UInt64 = 0
    public var edgeQueue: UInt64 = 1
    public var trapEntry: UInt64 = 150
    public var trapExit: UInt64 = 150
    public var guestMinRun: UInt64 = 50
    public var vmmio: UInt64 = 150
    public var claimMMIO: UInt64 = 100
    public var completeMMIO: UInt64 = 100
    public var maskMMIO: UInt64 = 100
    public var unmaskMMIO: UInt64 = 100
    public var hostISR: UInt64 = 500
    public var inject: UInt64 = 50
    public var ipi: UInt64 = 2000
    public var virqEntry: UInt64 = 100
    public var service: UInt64 = 2000
    public var perUnit: UInt64 = 200
    public var hwEOI: UInt64 = 15
    public var ratelimitWindow: UInt64 = 10_000_000
    public var ratelimitCount: UInt64 = 10_000
    public var ratelimitOff: UInt64 = 10_000_000
    /// Unset (nil) means the vCPU is always runnable.
    public var vcpuPeriod: UInt64? = nil
    public var vcpuBudget: UInt64? = nil
    // The AIA's parameters (docs/model.md Part A, A.10).
    public var topeiClaim: UInt64 = 20
    public var vtopei: UInt64 = 20
    public var msiLatency: UInt64 = 0
    public var guestFiles: UInt64 = 1
    public var sgeiWhenDescheduled: UInt64 = 0
    public var sgeiHandler: UInt64 = 200
    // The GIC's parameters (docs/model.md Part G, G.9).
    public var lrPolicy = ListRegisterPolicy.priority
    public var lrRefill = ListRegisterRefill.underflow
    public var eoirWrite: UInt64 = 50
    public var dirWrite: UInt64 = 50
    public var guestIAR: UInt64 = 15
    public var guestEOIR: UInt64 = 15
    public var listRegisters: UInt64 = 4
    public var maintHandler: UInt64 = 100
    /// 0 or 1: after each interrupt the hypervisor reads GICC_IAR again until 1023.
    public var iarLoop: UInt64 = 0
    public var lrOverflowCost: UInt64 = 0
    public var refillScan: UInt64 = 0

    public init() {}

    /// A parameter whose value is one of a few names.
    public struct Selector: Sendable {
        public let name: String
        public let doc: String
        /// The accepted values, the default first.
        public let values: [String]
        public let get: @Sendable (Scenario) -> String
        public let set: @Sendable (inout Scenario, String) -> Bool

        /// A selector over an enumeration's names, stored at `path` (the values in declaration
        /// order, so the default must be declared first).
        static func choice<E: CaseIterable & RawRepresentable<String> & Sendable>(
            _ name: String, doc: String, _ path: WritableKeyPath<Scenario, E> & Sendable
        ) -> Selector {
            Selector(name: name, doc: doc, values: E.allCases.map(\.rawValue),
                     get: { $0[keyPath: path].rawValue },
                     set: { s, v in E(rawValue: v).map { s[keyPath: path] = $0 } != nil })
        }
    }

    /// The selectors, in documentation order (printed before the integer parameters).
    public static let selectors: [Selector] = [
        .choice("irqchip", doc: "interrupt controller the hypervisor drives", \.irqchip),
        .choice("guest_irqchip", doc: "interrupt controller the guest sees", \.guestIRQChip),
        .choice("lr_policy", doc: "GIC: which list register gives way when all are taken", \.lrPolicy),
        .choice("lr_refill", doc: "GIC: the maintenance interrupt that refills list registers from the overflow queue",
                \.lrRefill),
    ]

    /// Every integer parameter: name, doc, key path. The order is the documentation order.
    nonisolated(unsafe) public static let parameters: [(name: String, doc: String, key: WritableKeyPath<Scenario, UInt64>)] = [
        ("harts", "number of harts (PLIC contexts)", \.harts),
        ("guest_hart", "hart the guest's single vCPU is pinned to", \.guestHart),
        ("edge_queue", "edges a closed gateway queues per source", \.edgeQueue),
        ("trap_entry", "ns: entering HYP (every sequence)", \.trapEntry),
        ("trap_exit", "ns: leaving HYP (every sequence)", \.trapExit),
        ("guest_min_run", "ns the guest runs after a HYP sequence before the next physical IRQ is taken", \.guestMinRun),
        ("vmmio", "ns: emulating a trapped vPLIC access", \.vmmio),
        ("claim_mmio", "ns: PLIC claim read", \.claimMMIO),
        ("complete_mmio", "ns: PLIC complete write", \.completeMMIO),
        ("mask_mmio", "ns: PLIC priority write that masks", \.maskMMIO),
        ("unmask_mmio", "ns: PLIC priority write that unmasks", \.unmaskMMIO),
        ("host_isr", "ns: the handler of a host-owned source", \.hostISR),
        ("inject", "ns: making the vIRQ pending", \.inject),
        ("ipi", "ns: delay of an inject to the vCPU's hart from another hart", \.ipi),
        ("virq_entry", "ns of guest work entering its interrupt handler", \.virqEntry),
        ("service", "ns of guest work servicing the device (fixed part)", \.service),
        ("per_unit", "ns of guest work per unit of device work", \.perUnit),
        ("hw_eoi", "ns of guest work for a hardware-linked EOI (hw-eoi)", \.hwEOI),
        ("ratelimit_window", "ns: rate limiter window (host-end-ratelimit)", \.ratelimitWindow),
        ("ratelimit_count", "dispatches per window before masking (host-end-ratelimit)", \.ratelimitCount),
        ("ratelimit_off", "ns a rate-limited source stays masked", \.ratelimitOff),
        ("topei_claim", "ns: AIA hypervisor claim from its interrupt file (csrrw stopei)", \.topeiClaim),
        ("vtopei", "ns of guest work: AIA guest claim from its guest interrupt file (no trap)", \.vtopei),
        ("msi_latency", "ns: AIA MSI (or write into a guest file) until its bit is set", \.msiLatency),
        ("guest_files", "AIA hardware guest interrupt files for the vCPU (0...63)", \.guestFiles),
        ("sgei_when_descheduled", "AIA: 1 = arm hgeie while the vCPU is not runnable (SGEI traps)", \.sgeiWhenDescheduled),
        ("sgei_handler", "ns: AIA SGEI handler step", \.sgeiHandler),
        ("eoir_write", "ns: GIC GICC_EOIR write (priority drop)", \.eoirWrite),
        ("dir_write", "ns: GIC GICC_DIR write (deactivate)", \.dirWrite),
        ("guest_iar", "ns of guest work: GIC guest acknowledge, GICV_IAR (no trap)", \.guestIAR),
        ("guest_eoir", "ns of guest work: GIC guest EOI, GICV_EOIR (no trap)", \.guestEOIR),
        ("list_registers", "GIC list registers of the vCPU interface (2...64)", \.listRegisters),
        ("maint_handler", "ns: GIC maintenance handler (read MISR/EISR/ELRSR, clear EOI'd list registers)", \.maintHandler),
        ("iar_loop", "GIC: 1 = read GICC_IAR again after each interrupt until 1023 (Xen, Jailhouse)", \.iarLoop),
        ("lr_overflow_cost", "ns: GIC, added to an inject that overflows or evicts", \.lrOverflowCost),
        ("refill_scan", "ns: GIC, per queued entry examined, once per refilled list register", \.refillScan),
    ]

    /// Names of the optional parameters (unset by default).
    nonisolated(unsafe) public static let optionalParameters: [(name: String, doc: String, key: WritableKeyPath<Scenario, UInt64?>)] = [
        ("vcpu_period", "ns: vCPU schedule period (with vcpu_budget; unset = always runnable)", \.vcpuPeriod),
        ("vcpu_budget", "ns: vCPU runnable time at the start of each period", \.vcpuBudget),
    ]

    public static var parameterNames: [String] {
        selectors.map(\.name) + parameters.map(\.name) + optionalParameters.map(\.name)
    }

    /// Sets a parameter by its docs/model.md name. Throws for unknown names and bad values.
    public mutating func set(_ name: String, _ text: String) throws(ScenarioError) {
        if let sel = Scenario.selectors.first(where: { $0.name == name }) {
            guard sel.set(&self, text) else {
                throw .badValue(name: name, value: text, reason: "expected one of \(sel.values.joined(separator: ", "))")
            }
            return
        }
        guard let v = UInt64(text) else {
            throw .badValue(name: name, value: text, reason: "not a non-negative integer")
        }
        if let p = Scenario.parameters.first(where: { $0.name == name }) {
            self[keyPath: p.key] = v
        } else if let p = Scenario.optionalParameters.first(where: { $0.name == name }) {
            self[keyPath: p.key] = v
        } else {
            throw .unknownParameter(name)
        }
    }

    /// docs/model.md §11 and the limits of this implementation.
    public func validate() throws(ScenarioError) {
        if guestMinRun < 1 {
            throw .invalid("guest_min_run must be >= 1 (a host-end storm could starve the guest for ever)")
        }
        if trapEntry + trapExit < 1 {
            throw .invalid("trap_entry + trap_exit must be >= 1 (a host-end storm could starve the guest for ever)")
        }
        if harts < 1 || harts > 64 { throw .invalid("harts must be 1...64") }
        if guestHart >= harts { throw .invalid("guest_hart \(guestHart) is not a hart (harts = \(harts))") }
        if edgeQueue > UInt64(UInt32.max) { throw .invalid("edge_queue is too large") }
        switch (vcpuPeriod, vcpuBudget) {
        case (nil, nil): break
        case (let p?, let b?):
            if p == 0 || b == 0 { throw .invalid("vcpu_period and vcpu_budget must both be > 0") }
        default: throw .invalid("vcpu_period and vcpu_budget must be set together")
        }
        try validateAIA()
        try validateGIC()
        // Costs are summed along sequences; keep every one far from overflow.
        let limit: UInt64 = 1 << 50
        for p in Scenario.parameters where self[keyPath: p.key] > limit {
            throw .badValue(name: p.name, value: String(self[keyPath: p.key]), reason: "too large (max 2^50)")
        }
    }

    /// The canonical text of every parameter that differs from its default, `name=value` joined by
    /// `;` in documentation order: the `params` provenance of a result row.
    public var canonicalDescription: String {
        let d = Scenario()
        var parts: [String] = []
        for sel in Scenario.selectors where sel.get(self) != sel.get(d) {
            parts.append("\(sel.name)=\(sel.get(self))")
        }
        for p in Scenario.parameters where self[keyPath: p.key] != d[keyPath: p.key] {
            parts.append("\(p.name)=\(self[keyPath: p.key])")
        }
        for p in Scenario.optionalParameters {
            if let v = self[keyPath: p.key] { parts.append("\(p.name)=\(v)") }
        }
        return parts.joined(separator: ";")
    }

    /// The strategies this scenario's controllers can run, in documentation order (what
    /// `--strategy all` means).
    public var applicableStrategies: [EndStrategy] {
        EndStrategy.allCases.filter { (try? check(strategy: $0)) != nil }
    }

    /// Throws a clear error when the controllers cannot run `strategy`, naming the rejected
    /// combination (docs/model.md Part A, A.10).
    public func check(strategy: EndStrategy) throws(ScenarioError) {
        switch irqchip {
        case .plic:
            if PLIC.guestType(for: strategy) == nil {
                throw .invalid("strategy \(strategy.rawValue) cannot run on irqchip=plic (it runs \(Self.names(EndStrategy.allCases.filter { PLIC.guestType(for: $0) != nil })))")
            }
        case .aplicDirect, .aplicMSI:
            try checkAIA(strategy: strategy)
        case .gicv2:
            try checkGIC(strategy: strategy)
        }
    }

    static func names(_ s: [EndStrategy]) -> String { s.map(\.rawValue).joined(separator: ", ") }

    /// The vCPU is runnable at `t` (docs/model.md §8).
    @inline(__always)
    func runnable(at t: UInt64) -> Bool {
        guard let period = vcpuPeriod, let budget = vcpuBudget, budget < period else { return true }
        return t % period < budget
    }
}

public enum ScenarioError: Error, Equatable, CustomStringConvertible {
    case unknownParameter(String)
    case badValue(name: String, value: String, reason: String)
    case invalid(String)

    public var description: String {
        switch self {
        case .unknownParameter(let n):
            "unknown parameter '\(n)' (known: \(Scenario.parameterNames.joined(separator: ", ")))"
        case .badValue(let n, let v, let r): "parameter \(n)=\(v): \(r)"
        case .invalid(let s): s
        }
    }
}
