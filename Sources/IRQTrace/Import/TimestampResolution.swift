/// A pcapng interface's timestamp unit (`if_tsresol`): 10^-n or 2^-n seconds.
public enum TimestampResolution: Equatable, Sendable, CustomStringConvertible {
    case decimal(UInt8)
    case binary(UInt8)

    /// The pcapng default when an interface has no `if_tsresol` option: microseconds.
    public static let microseconds = TimestampResolution.decimal(6)

    /// Decodes the option byte: high bit clear means a power of ten, set means a power of two.
    public init(optionByte b: UInt8) {
        self = b & 0x80 == 0 ? .decimal(b) : .binary(b & 0x7f)
    }

    public var description: String {
        switch self {
        case .decimal(let n): return "10^-\(n) s"
        case .binary(let n): return "2^-\(n) s"
        }
    }

    /// Converts a count of this unit to nanoseconds, rounding down; nil when it does not fit in
    /// 64 bits (a timestamp after the year 2554).
    @inline(__always)
    func nanoseconds(_ units: UInt64) -> UInt64? {
        switch self {
        case .decimal(let n):
            if n <= 9 {
                let (r, o) = units.multipliedReportingOverflow(by: Self.powersOfTen[9 - Int(n)])
                return o ? nil : r
            }
            var v = units
            var e = Int(n) - 9
            while e > 0 && v > 0 {
                let step = min(e, 19)
                v /= Self.powersOfTen[step]
                e -= step
            }
            return v
        case .binary(let n):
            // units * 1e9 / 2^n with a 128-bit intermediate so that fine binary units do not
            // overflow before the division.
            let (high, low) = units.multipliedFullWidth(by: 1_000_000_000)
            if n == 0 { return high == 0 ? low : nil }
            if n >= 64 { return high >> (UInt64(n) - 64) }
            let shift = UInt64(n)
            if high >> shift != 0 { return nil }
            return (high << (64 - shift)) | (low >> shift)
        }
    }

    static let powersOfTen: [UInt64] = {
        var p: [UInt64] = [1]
        for _ in 1...19 { p.append(p.last! * 10) }
        return p
    }()
}
