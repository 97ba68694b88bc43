#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SHA-256 digests for the results' provenance (`trace_sha256`), through libcrypto (SHA256Hasher).
public enum FileDigest {
    /// SHA-256 of the file's bytes in lowercase hex, read in 64 KiB chunks.
    public static func sha256Hex(path: String) throws -> String {
        guard let f = fopen(path, "rb") else {
            throw TraceError(.io, file: path, "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { fclose(f) }
        do {
            let hasher = try SHA256Hasher()
            let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
            defer { chunk.deallocate() }
            while true {
                let n = fread(chunk.baseAddress, 1, chunk.count, f)
                if n > 0 { try hasher.update(UnsafeRawBufferPointer(rebasing: chunk[0..<n])) }
                if n < chunk.count {
                    if ferror(f) != 0 {
                        throw TraceError(.io, file: path, "read error: \(String(cString: strerror(errno)))")
                    }
                    break
                }
            }
            return SHA256Hasher.hex(try hasher.finalize())
        } catch let e as CryptoError {
            throw TraceError(.io, file: path, "cannot hash: \(e)")
        }
    }

    /// SHA-256 of a string's UTF-8 bytes (an inline trace spec has no file to hash).
    public static func sha256Hex(text: String) throws(CryptoError) -> String {
        SHA256Hasher.hex(try SHA256Hasher.digest(text.utf8))
    }
}
