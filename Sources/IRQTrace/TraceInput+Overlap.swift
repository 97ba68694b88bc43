extension TraceInput {
    /// Reads the trace at `path` with `body` (which reads its records, e.g. a replay), and
    /// returns what `body` returned with the input, whose `report` and `firstPass` are then
    /// complete. The results, the report and every error are those of `body(open(path:...))`.
    ///
    /// A native trace in its common form (and no reusable `reusing`) is not read twice in a
    /// row: its first pass (SHA-256, record count, order) runs on a thread of its own while
    /// `body` reads the records from the file's start, each record checked to follow the one
    /// before. When the pass is joined, after `body`:
    /// - the file is sorted and in the common form: the stream's count, origin and gaps must be
    ///   the pass's (else the file changed while it was being read), and `body`'s result or
    ///   error stands;
    /// - anything else (a record out of order, a record not in the common form, a failed pass):
    ///   `body`'s result is dropped and the file is read again as `open(path:)` reads it, so
    ///   an unsorted file is sorted and a bad record is named as always. `body` then runs a
    ///   second time, on that input.
    /// `body` must not read the input's `report` (it is not known yet); progress it reports
    /// counts records, it cannot give a total.
    public static func reading<R>(path: String, options: TraceOptions = .init(), reusing: FirstPass? = nil,
                                  _ body: (TraceInput) throws -> R) throws -> (result: R, input: TraceInput) {
        if let reused = try reuse(reusing, path: path, options: options) { return (try body(reused), reused) }
        if let input = try overlapped(path: path, options: options) {
            let outcome = Result { try body(input) }
            if try input.settleOverlap(bodyFailed: outcome.failure) { return (try outcome.get(), input) }
        }
        let input = try open(path: path, options: options)
        return (try body(input), input)
    }

    /// A native trace in its common form, streaming from its first record, with its first pass
    /// started on a thread; nil for any other file (no overlap: `open(path:)` reads it).
    static func overlapped(path: String, options: TraceOptions) throws -> TraceInput? {
        // Taken before either read, as `open(path:)` takes it (see FirstPass).
        let identity = FileIdentity(path: path)
        guard let blocks = try NativeBlockReader(path: path), let origin = blocks.firstRecordTime() else { return nil }
        let pass = JoinableThread { Result { try nativeFirstPass(path: path, options: options) } }
        return TraceInput(streaming: blocks, origin: origin, name: path, options: options,
                          overlapping: pass, identity: identity)
    }

    /// Joins the first pass. True when the stream's reading stands (the report is then set, and
    /// `bodyFailed`, if any, is the error to give); false when the file must be read again
    /// through `open(path:)`. Throws when the file changed while it was being read.
    func settleOverlap(bodyFailed: (any Error)?) throws -> Bool {
        guard let (pass, identity, options) = overlap else { return true }
        overlap = nil
        guard case .success(.sorted(let found)) = pass.join() else { return false }
        settledReport = found
        expectedRecords = found.recordCount
        // A stream that found a record out of order or damaged in a file whose first pass found
        // it sorted and whole threw "changed" itself: that error (or the replay's own) stands.
        if bodyFailed != nil { return true }
        if reachedEnd {
            guard emitted == found.recordCount, timeline.origin == found.originNs,
                  timeline.lastPlaced == found.durationNs, timeline.compressedGaps == found.compressedGaps,
                  timeline.removedNs == found.removedGapNs else { throw Self.changed(name) }
        } else {
            guard emitted <= found.recordCount else { throw Self.changed(name) }
        }
        if let identity {
            firstPass = FirstPass(path: name, options: options, identity: identity, report: found)
        }
        return true
    }
}

private extension Result {
    var failure: Failure? {
        if case .failure(let e) = self { return e }
        return nil
    }
}
