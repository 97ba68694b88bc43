import Foundation
import Testing
@testable import IRQTrace

/// SHA-256 through libcrypto must give what `sha256sum` prints: every expected digest below was
/// computed with sha256sum (the command is beside each), never by the code under test.
@Suite struct FileDigestTests {
    @Test func emptyInput() throws {
        // printf '' | sha256sum
        let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        #expect(try FileDigest.sha256Hex(text: "") == empty)
        let dir = try TempDir()
        #expect(try FileDigest.sha256Hex(path: try dir.write("empty", "")) == empty)
    }

    @Test func inlineSpecText() throws {
        // printf 'procint:before=b.txt;after=a.txt;duration_ms=2000' | sha256sum
        #expect(try FileDigest.sha256Hex(text: "procint:before=b.txt;after=a.txt;duration_ms=2000")
                == "ea8b7a66ffe7301aaa9c8bbc1b32b0e9c54cd4dbda17312ab7051b7b8bac0b16")
    }

    /// 70,000 bytes: more than one 64 KiB read, so the chunks must be hashed in order.
    @Test func fileLongerThanOneChunk() throws {
        let dir = try TempDir()
        let p = try dir.write("a", String(repeating: "a", count: 70_000))
        // head -c 70000 /dev/zero | tr '\0' 'a' | sha256sum
        #expect(try FileDigest.sha256Hex(path: p) == "66915c0872933db504e7578828dd85b7e74a4e0a061f9756793b89c4151bd4b5")
    }

    /// The digest the shipped results carry in trace_sha256 for this trace.
    @Test func shippedTrace() throws {
        // sha256sum traces/nic-poisson.pcap
        #expect(try FileDigest.sha256Hex(path: ShippedTraceTests.tracesDir + "/nic-poisson.pcap")
                == "d67f371cf8eb14b728767b4927bf9576a4215947a6808ce137ac3cf446ee9459")
    }

    @Test func missingFileIsOneLine() throws {
        #expect(throws: TraceError(.io, file: "/nonexistent/x", "cannot open: No such file or directory")) {
            try FileDigest.sha256Hex(path: "/nonexistent/x")
        }
    }

    @Test func incrementalEqualsOneShot() throws {
        let bytes = Array("the quick brown fox".utf8)
        let h = try SHA256Hasher()
        try bytes[..<7].withUnsafeBytes { try h.update($0) }
        try bytes[7...].withUnsafeBytes { try h.update($0) }
        #expect(try h.finalize() == SHA256Hasher.digest(bytes))
        // printf 'the quick brown fox' | sha256sum
        #expect(SHA256Hasher.hex(try SHA256Hasher.digest(bytes))
                == "9ecb36561341d18eb65484e833efea61edc74b84cf5e6ae1b81c63533e25fc8f")
    }
}
