/// The counts the GIC adds to docs/model.md §9 (Part G, G.8), as result rows of GIC runs only.
public struct GICCounts: Sendable, Equatable {
    /// Sequences whose acknowledge returned the maintenance interrupt.
    public var maintenanceIRQs: UInt64 = 0
    /// Injects appended to the overflow queue.
    public var lrOverflows: UInt64 = 0
    /// Injects that took a lower-priority pending entry's list register.
    public var lrEvictions: UInt64 = 0
    /// Queue entries moved into a free list register.
    public var lrRefills: UInt64 = 0

    public init(maintenanceIRQs: UInt64 = 0, lrOverflows: UInt64 = 0, lrEvictions: UInt64 = 0, lrRefills: UInt64 = 0) {
        self.maintenanceIRQs = maintenanceIRQs
        self.lrOverflows = lrOverflows
        self.lrEvictions = lrEvictions
        self.lrRefills = lrRefills
    }

    public var rows: [(metric: String, value: String)] {
        [("maintenance_irqs", String(maintenanceIRQs)), ("lr_overflows", String(lrOverflows)),
         ("lr_evictions", String(lrEvictions)), ("lr_refills", String(lrRefills))]
    }

    public static var metricNames: [String] { GICCounts().rows.map(\.metric) }
}
