import Crypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum FileDigest {
    /// SHA-256 of the file's bytes in lowercase hex, read in 64 KiB chunks.
    public static func sha256Hex(path: String) throws -> String {
        guard let f = fopen(path, "rb") else {
            throw TraceError(.io, file: path, "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { fclose(f) }
        var hasher = SHA256()
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let n = fread(chunk.baseAddress, 1, chunk.count, f)
            if n > 0 { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: chunk[0..<n])) }
            if n < chunk.count {
                if ferror(f) != 0 {
                    throw TraceError(.io, file: path, "read error: \(String(cString: strerror(errno)))")
                }
                break
            }
        }
        return hexDigest(hasher.finalize())
    }

    /// SHA-256 of a string's UTF-8 bytes (an inline trace spec has no file to hash).
    public static func sha256Hex(text: String) -> String {
        hexDigest(SHA256.hash(data: Array(text.utf8)))
    }

    private static func hexDigest(_ digest: SHA256Digest) -> String {
        let hex: [Character] = Array("0123456789abcdef")
        var out = ""
        out.reserveCapacity(64)
        for byte in digest {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0xF)])
        }
        return out
    }
}
