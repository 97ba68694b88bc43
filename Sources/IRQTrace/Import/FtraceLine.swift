#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parsing of one ftrace event line, on raw bytes. The layouts handled (raw `trace` file and
/// `trace-cmd report`) all put, after the task, an optional `(TGID)` column and then
///
///     [CPU] [flags] SECONDS.FRACTION: event_name: args
///
/// The task column (`<idle>-0`, `<...>-10176`, names with spaces) is skipped by looking for the
/// first `[digits]` that is followed by that exact shape, so spaces or brackets in a task name
/// do not matter unless they spell out a whole fake header.
enum FtraceLine {
    struct Header {
        var cpu: Int
        var time: UInt64
        var event: Range<Int>
        var argsStart: Int
    }

    enum Parsed {
        case notEvent
        case event(Header)
        case badTimestamp(String)
    }

    @inline(__always) static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }
    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }

    static func parseHeader(_ l: UnsafeBufferPointer<UInt8>) -> Parsed {
        let n = l.count
        var i = 0
        while i < n {
            guard l[i] == UInt8(ascii: "[") else { i += 1; continue }
            defer { i += 1 }
            var j = i + 1
            var cpu = 0
            while j < n, isDigit(l[j]), cpu < 1 << 20 { cpu = cpu * 10 + Int(l[j] - 0x30); j += 1 }
            guard j > i + 1, j < n, l[j] == UInt8(ascii: "]") else { continue }
            j += 1
            var k = skipSpaces(l, j)
            guard k > j, k < n else { continue }
            var tokenEnd = skipToken(l, k)
            if l[tokenEnd - 1] != UInt8(ascii: ":") {
                // A flags column such as `d.h2`, `dNs.` or `d..1.`.
                guard tokenEnd - k <= 8 else { continue }
                let next = skipSpaces(l, tokenEnd)
                guard next > tokenEnd, next < n else { continue }
                k = next
                tokenEnd = skipToken(l, k)
                guard l[tokenEnd - 1] == UInt8(ascii: ":") else { continue }
            }
            let time: UInt64
            switch parseTimestamp(l, k, tokenEnd - 1) {
            case .none: continue
            case .some(.failure(let message)): return .badTimestamp(message.text)
            case .some(.success(let t)): time = t
            }
            let e = skipSpaces(l, tokenEnd)
            guard e > tokenEnd, e < n else { continue }
            var f = e
            while f < n, isNameByte(l[f]) { f += 1 }
            guard f > e, f < n, l[f] == UInt8(ascii: ":") else { continue }
            return .event(Header(cpu: cpu, time: time, event: e..<f, argsStart: f + 1))
        }
        return .notEvent
    }

    @inline(__always) static func isNameByte(_ c: UInt8) -> Bool {
        isDigit(c) || (c | 0x20) &- 0x61 < 26 || c == UInt8(ascii: "_")
    }

    @inline(__always) static func skipSpaces(_ l: UnsafeBufferPointer<UInt8>, _ from: Int) -> Int {
        var i = from
        while i < l.count, isSpace(l[i]) { i += 1 }
        return i
    }

    @inline(__always) static func skipToken(_ l: UnsafeBufferPointer<UInt8>, _ from: Int) -> Int {
        var i = from
        while i < l.count, !isSpace(l[i]) { i += 1 }
        return i
    }

    struct Message: Error { var text: String }

    /// `SECONDS.FRACTION` (1 to 9 fraction digits) to integer ns, without a Double on the way.
    /// A timestamp without a fraction is a raw count (the `counter` and `x86-tsc` trace clocks)
    /// and is taken as ns. nil: not a timestamp at all.
    static func parseTimestamp(_ l: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Result<UInt64, Message>? {
        var i = start
        var seconds: UInt64 = 0
        var overflow = false
        while i < end, isDigit(l[i]) {
            let (m, o1) = seconds.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(l[i] - 0x30))
            overflow = overflow || o1 || o2
            seconds = a
            i += 1
        }
        guard i > start else { return nil }
        let text = { String(decoding: UnsafeBufferPointer(rebasing: l[start..<end]), as: UTF8.self) }
        if i == end {
            return overflow ? .failure(Message(text: "timestamp \(text()) does not fit in 64 bits")) : .success(seconds)
        }
        guard l[i] == UInt8(ascii: ".") else { return nil }
        i += 1
        let fracStart = i
        var fraction: UInt64 = 0
        while i < end, isDigit(l[i]) { fraction = fraction &* 10 &+ UInt64(l[i] - 0x30); i += 1 }
        let digits = i - fracStart
        guard i == end, digits > 0 else { return nil }
        guard digits <= 9 else {
            return .failure(Message(text: "timestamp \(text()) has \(digits) decimals (at most 9, ns, are supported)"))
        }
        fraction *= TimestampResolution.powersOfTen[9 - digits]
        let (ns, o1) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (t, o2) = ns.addingReportingOverflow(fraction)
        if overflow || o1 || o2 {
            return .failure(Message(text: "timestamp \(text()) s does not fit in 64-bit nanoseconds"))
        }
        return .success(t)
    }

    /// `irq=N name=NAME` (NAME runs to the end of the line: IRQ names can hold spaces).
    static func parseIRQArgs(_ l: UnsafeBufferPointer<UInt8>, _ from: Int) -> (irq: UInt32, name: String)? {
        var i = skipSpaces(l, from)
        guard matches(l, i, "irq=") else { return nil }
        i += 4
        let digitsStart = i
        var irq: UInt64 = 0
        while i < l.count, isDigit(l[i]), irq <= UInt64(UInt32.max) { irq = irq * 10 + UInt64(l[i] - 0x30); i += 1 }
        guard i > digitsStart, irq <= UInt64(UInt32.max), i == l.count || isSpace(l[i]) else { return nil }
        i = skipSpaces(l, i)
        var name = ""
        if matches(l, i, "name=") {
            var e = l.count
            while e > i + 5, isSpace(l[e - 1]) { e -= 1 }
            name = String(decoding: UnsafeBufferPointer(rebasing: l[(i + 5)..<e]), as: UTF8.self)
        }
        return (UInt32(irq), name)
    }

    @inline(__always) static func matches(_ l: UnsafeBufferPointer<UInt8>, _ at: Int, _ s: StaticString) -> Bool {
        let count = s.utf8CodeUnitCount
        guard at + count <= l.count else { return false }
        return memcmp(l.baseAddress! + at, s.utf8Start, count) == 0
    }

    static func contains(_ l: UnsafeBufferPointer<UInt8>, _ s: StaticString) -> Bool {
        // memmem is a GNU extension the Glibc module does not export: memchr for the first byte.
        let count = s.utf8CodeUnitCount
        guard l.count >= count, let base = l.baseAddress else { return false }
        let first = Int32(s.utf8Start.pointee)
        var p = 0
        while p + count <= l.count, let hit = memchr(base + p, first, l.count - count - p + 1) {
            let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if memcmp(base + at, s.utf8Start, count) == 0 { return true }
            p = at + 1
        }
        return false
    }
}
