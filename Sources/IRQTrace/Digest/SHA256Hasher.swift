import CCrypto

/// A libcrypto failure: the EVP function that returned failure. OpenSSL's EVP digest calls
/// report only success (1) or failure (0); the reason sits on OpenSSL's error queue, which
/// `ERR_get_error` would give, but for SHA-256 failure only happens when memory runs out.
public struct CryptoError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The libcrypto function that failed, e.g. `"EVP_DigestUpdate"`.
    public var function: String

    public init(function: String) { self.function = function }

    public var description: String { "\(function) failed (libcrypto)" }
}

/// Incremental SHA-256 over libcrypto's EVP interface. Owns one `EVP_MD_CTX*`
/// (`EVP_MD_CTX_new`, freed with `EVP_MD_CTX_free` on deinit). A class, as the context is a
/// C resource with one owner; not for sharing between threads.
public final class SHA256Hasher {
    private let context: OpaquePointer
    private var finished = false

    /// `EVP_MD_CTX_new` + `EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)`.
    public init() throws(CryptoError) {
        guard let ctx = EVP_MD_CTX_new() else { throw CryptoError(function: "EVP_MD_CTX_new") }
        guard EVP_DigestInit_ex(ctx, EVP_sha256(), nil) == 1 else {
            EVP_MD_CTX_free(ctx)
            throw CryptoError(function: "EVP_DigestInit_ex")
        }
        context = ctx
    }

    deinit { EVP_MD_CTX_free(context) }

    /// `EVP_DigestUpdate`: hashes `bytes` (any length, including none).
    public func update(_ bytes: UnsafeRawBufferPointer) throws(CryptoError) {
        precondition(!finished, "SHA256Hasher.update after finalize")
        guard bytes.count > 0 else { return }
        guard EVP_DigestUpdate(context, bytes.baseAddress, bytes.count) == 1 else {
            throw CryptoError(function: "EVP_DigestUpdate")
        }
    }

    /// `EVP_DigestFinal_ex`: the 32-byte digest. The hasher cannot be used afterwards.
    public func finalize() throws(CryptoError) -> [UInt8] {
        precondition(!finished, "SHA256Hasher.finalize called twice")
        finished = true
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let ok = digest.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, &length) }
        guard ok == 1, length == 32 else { throw CryptoError(function: "EVP_DigestFinal_ex") }
        return digest
    }

    /// SHA-256 of `bytes` in one call.
    public static func digest(_ bytes: some Collection<UInt8>) throws(CryptoError) -> [UInt8] {
        let h = try SHA256Hasher()
        let updated = Array(bytes).withUnsafeBytes { buffer in (try? h.update(buffer)) != nil }
        guard updated else { throw CryptoError(function: "EVP_DigestUpdate") }
        return try h.finalize()
    }

    /// Lowercase hex, as sha256sum prints a digest.
    public static func hex(_ digest: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(digest.count * 2)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
