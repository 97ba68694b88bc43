import IRQReplay
import IRQRun

/// The terminal table of `irqbench run`: one line per (trace, strategy), and per controller
/// configuration when the run replayed several, trace by trace so they sit side by side.
enum SummaryTable {
    static func render(_ outcomes: [ReplayOutcome]) -> String {
        let several = Set(outcomes.map(\.controller)).count > 1
        let traceOrder = orderedTraces(outcomes)
        let ordered = several
            ? outcomes.enumerated().sorted { a, b in
                let (ta, tb) = (traceOrder[a.element.traceName]!, traceOrder[b.element.traceName]!)
                return ta != tb ? ta < tb : a.offset < b.offset
            }.map(\.element)
            : outcomes
        var header = ["trace", "strategy", "requests", "phys_irqs", "storm_irqs", "peak/ms", "guest_irqs",
                      "c2c_p99", "r2guest_p99", "r2done_p99", "hyp_busy%"]
        if several { header.insert("controller", at: 1) }
        var lines = [header]
        for o in ordered {
            let m = o.metrics
            let busy = m.simEnd == 0 ? 0 : Double(m.hypBusy) / Double(m.simEnd) / Double(max(1, o.harts)) * 100
            var line = [
                o.traceName, o.strategy.rawValue, String(m.requests), String(m.physicalIRQs), String(m.stormIRQs),
                String(m.peakIRQsPerMs), String(m.guestInterrupts),
                ns(m.claimToComplete.percentile(ppm: 990_000)), ns(m.requestToGuest.percentile(ppm: 990_000)),
                ns(m.requestToDone.percentile(ppm: 990_000)), String(format1(busy)),
            ]
            if several { line.insert(o.controller, at: 1) }
            lines.append(line)
        }
        return renderColumns(lines)
    }

    /// Each trace's place in the run (first appearance).
    static func orderedTraces(_ outcomes: [ReplayOutcome]) -> [String: Int] {
        var order: [String: Int] = [:]
        for o in outcomes where order[o.traceName] == nil { order[o.traceName] = order.count }
        return order
    }

    static func ns(_ v: UInt64?) -> String {
        guard let v else { return "-" }
        if v >= 10_000_000 { return "\(v / 1_000_000)ms" }
        if v >= 10_000 { return "\(v / 1000)us" }
        return "\(v)ns"
    }

    static func format1(_ d: Double) -> String {
        let t = Int((d * 10).rounded())
        return "\(t / 10).\(t % 10)"
    }
}
