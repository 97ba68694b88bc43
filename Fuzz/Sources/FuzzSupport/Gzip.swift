import CZlib

/// gzip-compresses bytes with zlib (deflate with a gzip wrapper), so the targets whose readers also
/// read gzip files can feed them each input a second time, compressed, and compare.
public enum Gzip {
    public static func compress(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        var stream = z_stream()
        // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
        let rc = deflateInit2_(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                               ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(rc == Z_OK, "deflateInit2 failed: \(rc)")
        defer { deflateEnd(&stream) }
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 32)
        let produced: Int = out.withUnsafeMutableBufferPointer { o in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
            stream.avail_in = UInt32(input.count)
            stream.next_out = o.baseAddress
            stream.avail_out = UInt32(o.count)
            let r = deflate(&stream, Z_FINISH)
            precondition(r == Z_STREAM_END, "deflate did not finish: \(r)")
            return Int(stream.total_out)
        }
        return Array(out.prefix(produced))
    }
}
