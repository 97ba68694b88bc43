/// How `TraceInput` reads a trace.
public struct TraceOptions: Sendable, Equatable {
    /// A file that ends inside its last record is an error instead of a warning (`--strict`).
    public var strict: Bool
    /// When set, every inter-arrival gap longer than this many ns is shortened to it (real
    /// captures can hold gaps of years); `TraceReport` says how many and by how much.
    public var maxGapNs: UInt64?
    /// Importers: the PLIC source a network capture's packets arrive on (docs/traces.md: default 1).
    public var captureSource: UInt16
    /// Importers: seed of anything an importer synthesises (e.g. Poisson arrivals from
    /// /proc/interrupts rates).
    public var seed: UInt64
    /// Importers (ftrace, /proc/interrupts): replay only these Linux IRQ numbers (nil: all).
    public var irqs: Set<UInt32>? = nil
    /// Importers (ftrace, /proc/interrupts): replay only what this CPU handled (nil: all).
    public var cpu: Int? = nil

    public init(strict: Bool = false, maxGapNs: UInt64? = nil, captureSource: UInt16 = 1, seed: UInt64 = 1,
                irqs: Set<UInt32>? = nil, cpu: Int? = nil) {
        self.strict = strict
        self.maxGapNs = maxGapNs
        self.captureSource = captureSource
        self.seed = seed
        self.irqs = irqs
        self.cpu = cpu
    }
}

/// What reading one trace found; the replay writes it next to the results.
public struct TraceReport: Sendable, Equatable {
    public var format: TraceFormat
    /// The file as the user named it (or the name given to `TraceInput.init(reader:name:)`).
    public var fileName: String
    /// Complete records read (and replayed).
    public var recordCount: Int
    /// Records whose time went backwards (earlier than some record before them in the file),
    /// sorted stably into place.
    public var reorderedRecords: Int
    /// The file ended inside its last record; its complete records are replayed.
    public var truncated: Bool
    /// SHA-256 of the file's bytes, lowercase hex; nil when there is no file.
    public var sha256: String?
    /// The earliest record's time as recorded (ns of the file's own clock): replay time 0.
    public var originNs: UInt64
    /// The last event's replay time (after making times relative and compressing gaps).
    public var durationNs: UInt64
    /// Gaps longer than `TraceOptions.maxGapNs` that were shortened to it.
    public var compressedGaps: Int
    /// Total ns removed by that compression.
    public var removedGapNs: UInt64
    /// What the reader wants a user to know (an importer's IRQ-to-source mapping, ...).
    public var notes: [String]

    public init(format: TraceFormat, fileName: String, recordCount: Int = 0, reorderedRecords: Int = 0,
                truncated: Bool = false, sha256: String? = nil, originNs: UInt64 = 0, durationNs: UInt64 = 0,
                compressedGaps: Int = 0, removedGapNs: UInt64 = 0, notes: [String] = []) {
        self.format = format
        self.fileName = fileName
        self.recordCount = recordCount
        self.reorderedRecords = reorderedRecords
        self.truncated = truncated
        self.sha256 = sha256
        self.originNs = originNs
        self.durationNs = durationNs
        self.compressedGaps = compressedGaps
        self.removedGapNs = removedGapNs
        self.notes = notes
    }
}
