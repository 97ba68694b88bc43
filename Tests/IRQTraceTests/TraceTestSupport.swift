import Foundation
@testable import IRQTrace

/// A fresh directory per test, removed when the value goes away.
final class TempDir {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "irqtrace-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let p = file(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: p))
        return p
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let p = file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }

    func read(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: file(name))))
    }
}

/// Builds pcap bytes by hand, so tests can make files our writer refuses to make.
struct PcapBytes {
    var bytes: [UInt8] = []

    /// Little-endian file header; nanosecond magic unless `micro`.
    init(linkType: UInt32 = 147, micro: Bool = false) {
        append32(micro ? 0xA1B2_C3D4 : 0xA1B2_3C4D)
        append16(2); append16(4)
        append32(0); append32(0)
        append32(65535)
        append32(linkType)
    }

    mutating func record(seconds: UInt32 = 0, nanos: UInt32, payload: [UInt8]) {
        append32(seconds); append32(nanos)
        append32(UInt32(payload.count)); append32(UInt32(payload.count))
        bytes += payload
    }

    mutating func record(time: UInt64, source: UInt16, kind: UInt8 = 1, count: UInt32 = 1) {
        record(seconds: UInt32(time / 1_000_000_000), nanos: UInt32(time % 1_000_000_000),
               payload: Self.payload(source: source, kind: kind, count: count))
    }

    static func payload(source: UInt16, kind: UInt8 = 1, reserved: UInt8 = 0, count: UInt32 = 1) -> [UInt8] {
        [UInt8(source & 0xFF), UInt8(source >> 8), kind, reserved,
         UInt8(count & 0xFF), UInt8((count >> 8) & 0xFF), UInt8((count >> 16) & 0xFF), UInt8(count >> 24)]
    }

    private mutating func append16(_ v: UInt16) { bytes += [UInt8(v & 0xFF), UInt8(v >> 8)] }
    private mutating func append32(_ v: UInt32) {
        bytes += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)]
    }
}

func level(_ time: UInt64, _ source: UInt16 = 1, count: UInt32 = 1) -> TraceEvent {
    TraceEvent(time: time, source: source, kind: .level, count: count)
}

func writeNative(_ events: [TraceEvent], to path: String) throws {
    let w = try NativeTraceWriter(path: path)
    for e in events { try w.write(e) }
    try w.finish()
}

func readAll(_ reader: any TraceRecordReader) throws -> [TraceEvent] {
    var out: [TraceEvent] = []
    while let e = try reader.nextRecord() { out.append(e) }
    return out
}

func readAll(_ input: TraceInput) throws -> [TraceEvent] {
    var out: [TraceEvent] = []
    while let e = try input.next() { out.append(e) }
    return out
}

/// The TraceError `body` throws (nil if it throws something else or nothing).
func traceError(_ body: () throws -> Void) -> TraceError? {
    do { try body() } catch let e as TraceError { return e } catch { return nil }
    return nil
}
