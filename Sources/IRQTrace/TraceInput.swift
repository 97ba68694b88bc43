/// A trace file (or any `TraceRecordReader`) turned into replay order, following docs/traces.md
/// "Rules for every input": times relative to the earliest event, records that go backwards
/// sorted stably into place and counted, truncation reported (or an error under `strict`), and
/// optionally long gaps compressed (`TraceOptions.maxGapNs`).
///
/// Memory: `open(path:)` reads the file twice, streaming. The first pass counts the records and
/// checks their order; when the file is sorted (the common case) the second pass streams, so
/// memory stays bounded whatever the trace's length. When some record goes backwards the second
/// pass loads all records and sorts them in memory (16 bytes a record plus the sort's index).
/// `report` is complete as soon as the input is created. A native trace in its common form is
/// read in large blocks and decoded in place (`NativeBlockReader`), its SHA-256 taken in the same
/// first pass, which a later open of the same unchanged file may reuse (`FirstPass`); any other
/// file goes through its format's reader. `reading(path:)` runs that first pass on a thread of
/// its own while the records are read (TraceInput+Overlap.swift).
public final class TraceInput: TraceStream {
    /// What the input holds: counts, order, gaps, SHA-256 (docs/traces.md). Complete when the
    /// input is created, except for an input given to `reading(path:)`'s body: its report is
    /// known once that call returns.
    public var report: TraceReport {
        guard let settledReport else {
            preconditionFailure("the report of \(name) is read while its first pass still runs (TraceInput.reading)")
        }
        return settledReport
    }
    var settledReport: TraceReport?
    let name: String
    /// Records the stream may give: the first pass's count (`Int.max` while a first pass runs
    /// beside the stream, which then counts them itself).
    var expectedRecords: Int
    /// The stream gave its last record (a streamed file was read to its end).
    private(set) var reachedEnd = false

    // Streaming a native trace's common form: the second pass's block reader, and the run of
    // records it last gave (`pending` records from `cursor`). The reader is a class reached
    // through an optional field, which costs a retain and a release: once per run, not per record.
    private var blocks: NativeBlockReader?
    private var cursor: UnsafeRawPointer?
    private var pending = 0
    // Streaming (sorted file): the second pass's reader and where it is.
    private var reader: (any TraceRecordReader)?
    private(set) var timeline: Timeline
    private(set) var emitted = 0
    // In memory (unsorted file, or a reader that cannot be read twice): final events.
    private var events: [TraceEvent] = []
    private var index = 0
    /// A native trace streamed in its common form: what its first pass found (`FirstPass`).
    public internal(set) var firstPass: FirstPass? = nil
    /// The first pass running beside the stream, and the file's identity taken before it
    /// (`reading(path:)`).
    var overlap: (pass: JoinableThread<Result<NativeFirstPass, any Error>>, identity: FileIdentity?, options: TraceOptions)?

    /// Opens `path`, detecting its format from its content. With `reusing`, the first pass of an
    /// earlier open of the same file (`firstPass`) stands in for this one's when the file is
    /// still the same one, unchanged (`FileIdentity`) and the options are the same: the file is
    /// then read once, by the replay. A sweep replays one trace many times.
    public static func open(path: String, options: TraceOptions = .init(), reusing: FirstPass? = nil) throws -> TraceInput {
        if let reused = try reuse(reusing, path: path, options: options) { return reused }
        let detection = try TraceFormat.detect(path: path)
        if detection.format == .native, let input = try TraceInput(nativeBlocksAt: path, options: options) {
            return input
        }
        let sha256 = try path.hasPrefix(ProcInterruptsSpec.prefix)
            ? FileDigest.sha256Hex(text: path) : FileDigest.sha256Hex(path: path)
        return try TraceInput(name: path, format: detection.format, options: options, sha256: sha256) {
            try makeRecordReader(path: path, detection: detection, options: options)
        }
    }

    /// `earlier`'s first pass streamed again, when it is of this file as it is now, with these options.
    static func reuse(_ earlier: FirstPass?, path: String, options: TraceOptions) throws -> TraceInput? {
        guard let earlier, earlier.path == path, earlier.options == options,
              FileIdentity(path: path) == earlier.identity, let blocks = try NativeBlockReader(path: path) else { return nil }
        return TraceInput(streaming: blocks, firstPass: earlier)
    }

    /// Streams from readers that `makeReader` creates afresh on each call (it is called once
    /// or twice: see the type's comment on memory).
    public init(name: String, format: TraceFormat, options: TraceOptions = .init(), sha256: String? = nil,
                makeReader: () throws -> any TraceRecordReader) throws {
        self.name = name
        let first = try makeReader()
        var scan = Scan(maxGapNs: options.maxGapNs)
        while let e = try first.nextRecord() { scan.add(e) }
        try Self.checkTruncation(first, records: scan.count, name: name, options: options)
        if scan.reordered == 0 {
            settledReport = Self.report(name: name, format: format, sha256: sha256, reader: first, records: scan.count,
                                        reordered: 0, timeline: scan.timeline)
            expectedRecords = scan.count
            reader = try makeReader()
            timeline = Timeline(origin: scan.timeline.origin, maxGapNs: options.maxGapNs)
        } else {
            let second = try makeReader()
            var raw: [TraceEvent] = []
            raw.reserveCapacity(scan.count)
            while let e = try second.nextRecord() { raw.append(e) }
            guard raw.count == scan.count else { throw Self.changed(name) }
            (events, timeline) = Self.normalize(raw, maxGapNs: options.maxGapNs)
            expectedRecords = raw.count
            settledReport = Self.report(name: name, format: format, sha256: sha256, reader: first, records: raw.count,
                                        reordered: scan.reordered, timeline: timeline)
        }
    }

    /// Reads `reader` once, to the end, into memory (it cannot be read twice). Fine for
    /// generated and imported traces of modest size; prefer `open(path:)` for files.
    public convenience init(reader: any TraceRecordReader, name: String, format: TraceFormat = .native,
                            options: TraceOptions = .init(), sha256: String? = nil) throws {
        var raw: [TraceEvent] = []
        while let e = try reader.nextRecord() { raw.append(e) }
        let events = raw
        var used = false
        try self.init(name: name, format: format, options: options, sha256: sha256) {
            // First pass: the records read above; second pass (unsorted only): the same again.
            if !used { used = true; return RecordedReader(events, truncated: reader.truncated, notes: reader.notes) }
            return RecordedReader(events, truncated: reader.truncated, notes: reader.notes)
        }
    }

    public func next() throws -> TraceEvent? {
        if pending == 0, let blocks {
            // Once per run of records, not per record: `blocks` is only touched here.
            switch try blocks.nextRecords() {
            case .run(let run, let count): (cursor, pending) = (run, count)
            case .end:
                guard emitted == expectedRecords || expectedRecords == .max else { throw Self.changed(name) }
                self.blocks = nil
                reachedEnd = true
                return nil
            case .irregular: throw Self.changed(name)
            }
        }
        if pending > 0 {
            let p = cursor.unsafelyUnwrapped
            cursor = p + NativeBlockReader.recordSize
            pending &-= 1
            guard let e = NativeBlockReader.record(at: p) else { throw Self.changed(name) }
            return try place(e)
        }
        if let reader {
            guard let e = try reader.nextRecord() else {
                guard emitted == expectedRecords else { throw Self.changed(name) }
                self.reader = nil
                reachedEnd = true
                return nil
            }
            return try place(e)
        }
        guard index < events.count else { return nil }
        defer { index += 1 }
        return events[index]
    }

    /// `next()` into `buffer`: after the first record, the rest of the current run of a streamed
    /// native trace decoded in one loop (the replay's record feed reads a run at a time, about a
    /// third of the cost per record of `next()`). The loop stops before a record that `next()`
    /// would reject (damaged, too many, out of order): the call that reaches it throws.
    public func next(into buffer: UnsafeMutablePointer<TraceEvent>, capacity: Int) throws -> Int {
        guard capacity > 0, let first = try next() else { return 0 }
        buffer[0] = first
        guard pending > 0 && capacity > 1 else { return 1 }
        // In locals for the loop: the stores into `buffer` could otherwise alias this object's fields.
        var p = cursor.unsafelyUnwrapped
        var n = 1
        var count = emitted
        var line = timeline
        let limit = min(capacity, pending + 1, expectedRecords - count + 1)
        while n < limit {
            guard let e = NativeBlockReader.record(at: p), e.time >= line.previous else { break }
            var out = e
            out.time = line.place(e.time)
            buffer[n] = out
            n &+= 1
            count &+= 1
            p += NativeBlockReader.recordSize
        }
        cursor = p
        pending &-= n - 1
        emitted = count
        timeline = line
        return n
    }

    /// A streamed record in replay time, checked against the first pass.
    @inline(__always)
    private func place(_ e: TraceEvent) throws -> TraceEvent {
        emitted += 1
        guard emitted <= expectedRecords, e.time >= timeline.previous || emitted == 1 else {
            throw Self.changed(name)
        }
        var out = e
        out.time = timeline.place(e.time)
        return out
    }

    /// The native fast path: the first pass hashes the file and scans its records block by block;
    /// nil when the file is not in the common native form (it then goes through libpcap).
    private init?(nativeBlocksAt path: String, options: TraceOptions) throws {
        name = path
        // Taken before the first read: a change during or after the first pass gives another
        // identity, so its results are never reused for the changed file.
        let identity = FileIdentity(path: path)
        switch try Self.nativeFirstPass(path: path, options: options) {
        case .irregular: return nil
        case .unsorted:
            // Unsorted: the records in memory, sorted (as the other formats do); the digest from a
            // read of its own.
            guard let all = try NativeBlockReader(path: path) else { return nil }
            var scan = Scan(maxGapNs: options.maxGapNs)
            var raw: [TraceEvent] = []
            guard try all.forEachRecord({ raw.append($0); scan.add($0); return true }) else { return nil }
            let sha256 = try FileDigest.sha256Hex(path: path)
            (events, timeline) = Self.normalize(raw, maxGapNs: options.maxGapNs)
            expectedRecords = raw.count
            settledReport = TraceReport(format: .native, fileName: path, recordCount: raw.count,
                                        reorderedRecords: scan.reordered, truncated: false, sha256: sha256,
                                        originNs: timeline.origin, durationNs: timeline.lastPlaced,
                                        compressedGaps: timeline.compressedGaps, removedGapNs: timeline.removedNs,
                                        notes: [])
        case .sorted(let report):
            settledReport = report
            expectedRecords = report.recordCount
            guard let second = try NativeBlockReader(path: path) else { throw Self.changed(path) }
            blocks = second
            timeline = Timeline(origin: report.originNs, maxGapNs: options.maxGapNs)
            if let identity { firstPass = FirstPass(path: path, options: options, identity: identity, report: report) }
        }
    }

    /// What the first pass over a native file found: a sorted file in the common form (with its
    /// report), a file with records out of order, or one not in the common form.
    enum NativeFirstPass {
        case sorted(TraceReport)
        case unsorted
        case irregular
    }

    /// The native first pass: the SHA-256 of every block read and a scan of its records, which
    /// stops at the first record out of order.
    static func nativeFirstPass(path: String, options: TraceOptions) throws -> NativeFirstPass {
        let hasher: SHA256Hasher
        do { hasher = try SHA256Hasher() } catch { return .irregular }
        guard let first = try NativeBlockReader(path: path, onBlock: { try hasher.update($0) }) else { return .irregular }
        var scan = Scan(maxGapNs: options.maxGapNs)
        guard try first.forEachRecord({ scan.add($0); return scan.reordered == 0 }) else { return .irregular }
        if scan.reordered > 0 { return .unsorted }
        let sha256 = SHA256Hasher.hex(try hasher.finalize())
        return .sorted(TraceReport(format: .native, fileName: path, recordCount: scan.count, reorderedRecords: 0,
                                   truncated: false, sha256: sha256, originNs: scan.timeline.origin,
                                   durationNs: scan.timeline.lastPlaced, compressedGaps: scan.timeline.compressedGaps,
                                   removedGapNs: scan.timeline.removedNs, notes: []))
    }

    /// A native trace streamed with an earlier open's first pass (`open(path:options:reusing:)`).
    /// The stream's own checks (record count, time order, the common form) still run.
    private init(streaming blocks: NativeBlockReader, firstPass: FirstPass) {
        name = firstPass.path
        settledReport = firstPass.report
        expectedRecords = firstPass.report.recordCount
        self.blocks = blocks
        timeline = Timeline(origin: firstPass.report.originNs, maxGapNs: firstPass.options.maxGapNs)
        self.firstPass = firstPass
    }

    /// A native trace streamed from its first record on while its first pass runs on `pass`'s
    /// thread (`reading(path:)`): the origin is the first record's time, as the first pass of a
    /// sorted file finds it; the count and order are checked when the pass is joined.
    init(streaming blocks: NativeBlockReader, origin: UInt64, name: String, options: TraceOptions,
         overlapping pass: JoinableThread<Result<NativeFirstPass, any Error>>, identity: FileIdentity?) {
        self.name = name
        expectedRecords = .max
        self.blocks = blocks
        timeline = Timeline(origin: origin, maxGapNs: options.maxGapNs)
        overlap = (pass, identity, options)
    }

    // MARK: - Helpers

    private static func checkTruncation(_ r: any TraceRecordReader, records: Int, name: String,
                                        options: TraceOptions) throws {
        guard r.truncated && options.strict else { return }
        throw TraceError(.truncated, file: name, at: .record(records + 1),
                         "the file ends inside this record (a capture cut short); --strict makes this an error")
    }

    static func changed(_ name: String) -> TraceError {
        TraceError(.io, file: name, "the file changed while it was being read")
    }

    private static func report(name: String, format: TraceFormat, sha256: String?, reader: any TraceRecordReader,
                               records: Int, reordered: Int, timeline: Timeline) -> TraceReport {
        // Truncation, reordering and gap compression are fields of the report, not notes: the
        // command line words its own warnings from them.
        let notes = reader.notes
        return TraceReport(format: format, fileName: name, recordCount: records, reorderedRecords: reordered,
                           truncated: reader.truncated, sha256: sha256, originNs: timeline.origin,
                           durationNs: timeline.lastPlaced, compressedGaps: timeline.compressedGaps,
                           removedGapNs: timeline.removedNs, notes: notes)
    }

    /// Stable sort by time (ties keep file order), then times relative and gaps compressed.
    static func normalize(_ raw: [TraceEvent], maxGapNs: UInt64?) -> ([TraceEvent], Timeline) {
        let order = raw.indices.sorted { (raw[$0].time, $0) < (raw[$1].time, $1) }
        var timeline = Timeline(origin: order.first.map { raw[$0].time } ?? 0, maxGapNs: maxGapNs)
        var out: [TraceEvent] = []
        out.reserveCapacity(raw.count)
        for i in order {
            var e = raw[i]
            e.time = timeline.place(e.time)
            out.append(e)
        }
        return (out, timeline)
    }
}

/// Maps recorded times to replay times for records in time order: relative to `origin`, with
/// gaps longer than `maxGapNs` shortened. Never overflows: times only ever shrink.
struct Timeline {
    let origin: UInt64
    let maxGapNs: UInt64?
    private(set) var previous: UInt64
    private(set) var lastPlaced: UInt64 = 0
    private(set) var compressedGaps = 0
    private(set) var removedNs: UInt64 = 0

    init(origin: UInt64, maxGapNs: UInt64?) {
        self.origin = origin
        self.maxGapNs = maxGapNs
        previous = origin
    }

    /// `raw` must be >= the previous raw time and >= origin.
    @inline(__always)
    mutating func place(_ raw: UInt64) -> UInt64 {
        let gap = raw - previous
        previous = raw
        if let m = maxGapNs, gap > m {
            compressedGaps += 1
            removedNs += gap - m
        }
        lastPlaced = raw - origin - removedNs
        return lastPlaced
    }
}

/// The first pass: counts, finds records that go backwards, and (while the file is sorted)
/// runs the timeline so a sorted file's report is known before replay.
struct Scan {
    var count = 0
    var reordered = 0
    var latest: UInt64 = 0
    var timeline: Timeline
    private let maxGapNs: UInt64?

    init(maxGapNs: UInt64?) {
        self.maxGapNs = maxGapNs
        timeline = Timeline(origin: 0, maxGapNs: maxGapNs)
    }

    @inline(__always)
    mutating func add(_ e: TraceEvent) {
        if count == 0 {
            timeline = Timeline(origin: e.time, maxGapNs: maxGapNs)
            latest = e.time
        }
        count += 1
        if e.time < latest {
            reordered += 1
        } else {
            latest = e.time
            if reordered == 0 { _ = timeline.place(e.time) }
        }
    }
}

/// Replays records already read (for `TraceInput.init(reader:)`).
final class RecordedReader: TraceRecordReader {
    private let events: [TraceEvent]
    private var index = 0
    let truncated: Bool
    let notes: [String]

    init(_ events: [TraceEvent], truncated: Bool, notes: [String]) {
        self.events = events
        self.truncated = truncated
        self.notes = notes
    }

    func nextRecord() throws -> TraceEvent? {
        guard index < events.count else { return nil }
        defer { index += 1 }
        return events[index]
    }
}
