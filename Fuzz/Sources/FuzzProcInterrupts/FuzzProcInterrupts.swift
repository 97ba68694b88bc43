import FuzzSupport
import IRQTrace

// The /proc/interrupts importer: the spec (`procint:before=...;after=...;duration_ms=N`), the two
// snapshots, and the Poisson replay between them. One input holds all three, separated by NUL
// bytes: `SPEC \0 BEFORE \0 AFTER` (a missing part is empty). The spec's before/after paths are
// not followed (the input must not name files to read); its duration and seed are used, with one
// second and seed 1 when the spec does not parse. An odd seed also selects CPU column (seed/2)%4,
// so the per-CPU path is fuzzed too. Inputs may ask for at most `maxRequests` arrivals (the reader's
// own bound is 100 million): the reader's time grows with the count it is asked for, 1-2 µs a
// request under the address sanitizer (docs/fuzzing.md), and a fuzzer must try thousands of
// inputs a minute.
private let maxRequests: UInt64 = 200_000
private let before = ScratchFile("before.txt")
private let after = ScratchFile("after.txt")
private let specFile = "spec"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProcInterrupts(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let parts = bytes.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
    func part(_ i: Int) -> UnsafeRawBufferPointer {
        i < parts.count ? UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[parts[i].startIndex..<parts[i].endIndex])
                        : UnsafeRawBufferPointer(start: nil, count: 0)
    }
    let specText = String(decoding: part(0), as: UTF8.self)
    before.write(part(1))
    after.write(part(2))

    let spec = Oracle.expectCleanOutcome(file: specFile) {
        try ProcInterruptsSpec(text: specText, baseDirectory: "", file: specFile)
    }
    var options = ImportOptions()
    if let seed = spec?.seed, seed & 1 == 1 { options.cpu = Int((seed >> 1) % 4) }
    for file in [before.path, after.path] {
        _ = Oracle.expectCleanOutcome(file: file) { try TraceFormat.detect(path: file) }
        _ = Oracle.expectCleanOutcome(file: file) { try ImportedFormat.detect(path: file) }
    }
    do {
        let reader = try ProcInterruptsReader(before: before.path, after: after.path,
                                              durationNs: spec?.durationNs ?? 1_000_000_000,
                                              options: options, seed: spec?.seed, maxRequests: maxRequests)
        var last: UInt64 = 0
        for e in try Oracle.drain(reader) {
            precondition(e.time >= last && e.time < reader.durationNs, "arrival \(e.time) out of order or past the duration")
            last = e.time
        }
    } catch {
        // Errors name the snapshot they are about.
        switch error {
        case let e as ImportError where e.file == before.path: Oracle.checkClean(e, file: before.path)
        default: Oracle.checkClean(error, file: after.path)
        }
    }
    return 0
}
