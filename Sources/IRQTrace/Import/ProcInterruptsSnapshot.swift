/// One `/proc/interrupts` snapshot: a `CPU0 CPU1 ...` header, then one row per line,
/// `LABEL: count count ... description`. Rows can have fewer counts than CPUs (`Err:` has one).
public struct ProcInterruptsSnapshot: Equatable, Sendable {
    public struct Row: Equatable, Sendable {
        /// `16`, `NMI`, `IPI0`, `Err`, ...
        public var label: String
        /// The Linux IRQ number for a numeric label; nil for IPI/NMI/LOC/Err/MIS and the like.
        public var irq: UInt32?
        /// Counts in header column order.
        public var counts: [UInt64]
        /// The rest of the line: controller, hwirq, trigger, handler names (whitespace collapsed).
        public var description: String
        /// 1-based line in the file.
        public var line: Int

        public var total: UInt64 { counts.reduce(0, &+) }
    }

    /// The CPU numbers of the columns (`CPU0 CPU2` after a hot-unplug gives [0, 2]).
    public var cpus: [Int]
    public var rows: [Row]

    public init(path: String) throws(ImportError) {
        let file = try MappedFile(path: path)
        try self.init(text: String(decoding: file.bytes, as: UTF8.self), file: path)
    }

    public init(text: String, file: String) throws(ImportError) {
        var cpus: [Int]? = nil
        var rows: [Row] = []
        var labels = Set<String>()
        var lineNumber = 0
        // "\r\n" is one Character, so splitting at "\n" alone would leave CRLF files in one line.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            let fields = rawLine.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            guard let columns = cpus else {
                let numbers = fields.map { f -> Int? in f.hasPrefix("CPU") ? Int(f.dropFirst(3)) : nil }
                guard numbers.allSatisfy({ $0 != nil }) else {
                    throw ImportError(file: file, .line(lineNumber),
                        "not a /proc/interrupts snapshot: the first line should list the CPUs (`CPU0 CPU1 ...`)")
                }
                cpus = numbers.map { $0! }
                continue
            }
            guard fields[0].hasSuffix(":"), fields[0].count > 1 else {
                throw ImportError(file: file, .line(lineNumber), "row without a `LABEL:` first field: \(fields[0])")
            }
            let label = String(fields[0].dropLast())
            guard labels.insert(label).inserted else {
                throw ImportError(file: file, .line(lineNumber), "IRQ row \(label) appears twice")
            }
            var counts: [UInt64] = []
            var i = 1
            while i < fields.count, counts.count < columns.count, fields[i].allSatisfy({ $0.isASCII && $0.isNumber }) {
                guard let v = UInt64(fields[i]) else {
                    throw ImportError(file: file, .line(lineNumber), "count \(fields[i]) of IRQ \(label) does not fit in 64 bits")
                }
                counts.append(v)
                i += 1
            }
            let irq: UInt32? = label.allSatisfy({ $0.isASCII && $0.isNumber }) ? UInt32(label) : nil
            if label.allSatisfy({ $0.isASCII && $0.isNumber }) && irq == nil {
                throw ImportError(file: file, .line(lineNumber), "IRQ number \(label) does not fit in 32 bits")
            }
            rows.append(Row(label: label, irq: irq, counts: counts,
                            description: fields[i...].joined(separator: " "), line: lineNumber))
        }
        guard let columns = cpus else {
            throw ImportError(file: file, .header, "empty file: a /proc/interrupts snapshot starts with `CPU0 CPU1 ...`")
        }
        self.cpus = columns
        self.rows = rows
    }
}
