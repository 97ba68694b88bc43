import IRQReplay

/// Why a preset parameter has its value.
public enum Provenance: Sendable {
    /// The value is a published measurement (rounded to an integer ns).
    case measured(Measurement)
    /// The value is computed from measurements; `arithmetic` shows the computation with numbers.
    case derived(from: [Measurement], arithmetic: String)
    /// The value is read in the hardware's or the hypervisor's documentation or code.
    case read(Citation, what: String)
    /// No measurement decides it; `reason` says why this value.
    case chosen(reason: String)

    /// `measured`, `derived`, `read`, `chosen`.
    public var kind: String {
        switch self {
        case .measured: "measured"
        case .derived: "derived"
        case .read: "read"
        case .chosen: "chosen"
        }
    }

    /// The measurements the value depends on.
    public var measurements: [Measurement] {
        switch self {
        case .measured(let m): [m]
        case .derived(let ms, _): ms
        case .read, .chosen: []
        }
    }

    public var citations: [Citation] {
        switch self {
        case .measured(let m): [m.citation]
        case .derived(let ms, _): ms.map(\.citation)
        case .read(let c, _): [c]
        case .chosen: []
        }
    }
}

/// One parameter of a preset: the scenario parameter's name, its value as `--param` takes it, and
/// where the value comes from.
public struct PresetParameter: Sendable {
    public let name: String
    public let value: String
    public let provenance: Provenance

    public init(_ name: String, _ value: String, _ provenance: Provenance) {
        self.name = name
        self.value = value
        self.provenance = provenance
    }

    public init(_ name: String, _ value: UInt64, _ provenance: Provenance) {
        self.init(name, String(value), provenance)
    }
}

/// A named set of scenario parameter values describing one platform (hardware + hypervisor),
/// every value with its provenance. `--platform NAME` applies it before any `--param`.
public struct PlatformPreset: Sendable {
    public enum Calibration: String, Sendable {
        /// Every cost that matters is fitted to measurements of this platform.
        case calibrated
        /// Some costs are measured on this platform, the rest are the model's defaults.
        case partial = "partly calibrated"
        /// Nothing is measured: the model's defaults.
        case estimate = "uncalibrated estimate"
    }

    public let name: String
    /// One line: what the preset stands for.
    public let summary: String
    public let calibration: Calibration
    public let parameters: [PresetParameter]
    /// Parameters of the interrupt path this preset does not set although they matter for it:
    /// they keep the model's defaults, which no measurement of this platform supports.
    public let leftAtDefaults: [String]

    public init(name: String, summary: String, calibration: Calibration, parameters: [PresetParameter],
                leftAtDefaults: [String] = []) {
        self.name = name
        self.summary = summary
        self.calibration = calibration
        self.parameters = parameters
        self.leftAtDefaults = leftAtDefaults
    }

    /// The sources cited by the parameters, first-use order, each once.
    public var citations: [Citation] {
        var seen = Set<String>()
        return parameters.flatMap(\.provenance.citations).filter { seen.insert($0.key).inserted }
    }

    /// Sets every parameter of the preset on `scenario`, in order.
    public func apply(to scenario: inout Scenario) throws(ScenarioError) {
        for p in parameters { try scenario.set(p.name, p.value) }
    }

    /// A scenario with only this preset applied.
    public func scenario() throws(ScenarioError) -> Scenario {
        var s = Scenario()
        try apply(to: &s)
        return s
    }
}

extension PlatformPreset {
    /// Every preset, in the order `irqbench platforms` lists them.
    public static let all: [PlatformPreset] = [
        ZCU104Presets.bao, ZCU104Presets.xen, ZCU104Presets.jailhouse, KVMAltraPreset.preset,
        EstimatePresets.plic, EstimatePresets.aia,
    ]

    public static func named(_ name: String) -> PlatformPreset? {
        all.first { $0.name == name }
    }

    /// The one-line error for an unknown name.
    public static func unknownNameMessage(_ name: String) -> String {
        "unknown platform '\(name)' (known: \(all.map(\.name).joined(separator: ", ")))"
    }
}
