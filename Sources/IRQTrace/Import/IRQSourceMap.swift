/// Maps Linux IRQ numbers to PLIC sources (docs/traces.md): IRQ N is source N when N is in 1...1023;
/// every other IRQ (0, or 1024 and above) gets the next free source, handed out to those IRQs in
/// ascending IRQ order, lowest free source first, skipping every source some in-range IRQ of
/// the same file uses. The map is built from all the IRQs of a file, before any filter, so an IRQ
/// keeps its source whichever IRQs or CPU a run selects.
public struct IRQSourceMap: Equatable, Sendable {
    public private(set) var sources: [UInt32: UInt16] = [:]

    public init(irqs: some Sequence<UInt32>, file: String) throws(ImportError) {
        let all = Set(irqs)
        var used = Set<UInt16>()
        for irq in all where TraceEvent.sourceRange.contains(UInt16(clamping: irq)) && irq <= 1023 {
            sources[irq] = UInt16(irq)
            used.insert(UInt16(irq))
        }
        var next: UInt16 = 1
        for irq in all.sorted() where sources[irq] == nil {
            while next <= 1023 && used.contains(next) { next += 1 }
            guard next <= 1023 else {
                throw ImportError(file: file, .file, "more distinct IRQs (\(all.count)) than PLIC sources (1023)")
            }
            sources[irq] = next
            used.insert(next)
            next += 1
        }
    }

    public subscript(irq: UInt32) -> UInt16 { sources[irq]! }

    /// One note line per IRQ: number, names, source, and how many requests it gave.
    static func notes(prefix: String, irqs: [UInt32], map: IRQSourceMap, names: [UInt32: [String]],
                      detail: (UInt32) -> String) -> [String] {
        irqs.sorted().map { irq in
            let n = names[irq, default: []]
            let label = n.isEmpty ? "" : " (\(n.joined(separator: " / ")))"
            let moved = map[irq] == irq ? "" : " [not in 1...1023: next free source]"
            return "\(prefix): IRQ \(irq)\(label) -> source \(map[irq])\(moved): \(detail(irq))"
        }
    }
}
