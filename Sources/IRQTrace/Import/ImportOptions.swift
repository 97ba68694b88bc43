/// Settings of the importers (network captures, ftrace text, /proc/interrupts).
public struct ImportOptions: Equatable, Sendable {
    /// The PLIC source every captured packet is requested on.
    public var nicSource: UInt16 = 1
    /// ftrace and /proc/interrupts: replay only these Linux IRQ numbers (nil: all).
    public var irqs: Set<UInt32>? = nil
    /// ftrace and /proc/interrupts: replay only what this CPU handled (nil: all CPUs).
    public var cpu: Int? = nil
    /// /proc/interrupts: seed of the Poisson arrivals, unless the spec names its own `seed=`
    /// (a spec file pins its replay).
    public var seed: UInt64 = 1

    public init(nicSource: UInt16 = 1, irqs: Set<UInt32>? = nil, cpu: Int? = nil, seed: UInt64 = 1) {
        self.nicSource = nicSource
        self.irqs = irqs
        self.cpu = cpu
        self.seed = seed
    }

    /// The importer settings carried by the trace layer's options.
    public init(_ options: TraceOptions) {
        self.init(nicSource: options.captureSource, irqs: options.irqs, cpu: options.cpu, seed: options.seed)
    }

    /// Parses a comma-separated IRQ list such as `19,45,630` (the command line's `--irqs`).
    public static func parseIRQList(_ text: String) -> Set<UInt32>? {
        var result = Set<UInt32>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = part.trimmingCharacters(in: " ")
            guard let n = UInt32(trimmed) else { return nil }
            result.insert(n)
        }
        return result.isEmpty ? nil : result
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in c: Character) -> Substring {
        var s = self
        while s.first == c { s.removeFirst() }
        while s.last == c { s.removeLast() }
        return s
    }
}
