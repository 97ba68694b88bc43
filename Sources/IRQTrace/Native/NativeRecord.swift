/// The native payload (docs/traces.md): 8 bytes, little-endian
/// `u16 source, u8 kind, u8 reserved, u32 count`.
enum NativeRecord {
    static let payloadSize = 8

    /// Decodes and checks one payload. Returns the reason when it breaks the contract.
    @inline(__always)
    static func decode(_ bytes: UnsafeRawBufferPointer, time: UInt64) -> Result<TraceEvent, Problem> {
        guard bytes.count == payloadSize else { return .failure(.length(bytes.count)) }
        let source = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt16.self))
        let kindByte = bytes[2]
        let reserved = bytes[3]
        let count = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        guard let kind = RequestKind(rawValue: kindByte) else { return .failure(.kind(kindByte)) }
        guard TraceEvent.sourceRange.contains(source) else { return .failure(.source(source)) }
        guard count != 0 else { return .failure(.zeroCount) }
        guard reserved == 0 else { return .failure(.reserved(reserved)) }
        return .success(TraceEvent(time: time, source: source, kind: kind, count: count))
    }

    static func encode(_ e: TraceEvent, into bytes: UnsafeMutableRawBufferPointer) {
        bytes.storeBytes(of: e.source.littleEndian, toByteOffset: 0, as: UInt16.self)
        bytes[2] = e.kind.rawValue
        bytes[3] = 0
        bytes.storeBytes(of: e.count.littleEndian, toByteOffset: 4, as: UInt32.self)
    }

    enum Problem: Error {
        case length(Int), kind(UInt8), source(UInt16), zeroCount, reserved(UInt8)

        var reason: String {
            switch self {
            case .length(let n): "payload is \(n) bytes, expected 8 (u16 source, u8 kind, u8 reserved, u32 count)"
            case .kind(let k): "kind \(k) is not 1 (level) or 2 (edge)"
            case .source(let s): "source \(s) is outside \(TraceEvent.sourceRange.lowerBound)...\(TraceEvent.sourceRange.upperBound)"
            case .zeroCount: "count is 0 (must be at least 1)"
            case .reserved(let r): "reserved byte is \(r), must be 0"
            }
        }
    }
}
