import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a text file line by line without building Strings, transparently decompressing gzip
/// input (detected by its magic 1f 8b, streaming through zlib so a large trace never sits in
/// memory whole). Memory is one fixed buffer of `maxLineLength` bytes: a longer line is an error,
/// not a reason to grow (a small gzip file can inflate to a line of gigabytes).
final class LineReader {
    /// The longest line accepted, newline included. Kernel trace lines are far shorter (the
    /// kernel formats each into one page), /proc/interrupts rows too.
    static let maxLineLength = 1 << 20

    /// True once the input ended without a final newline (the last line may be cut short).
    private(set) var lastLineUnterminated = false
    /// True when a gzip stream ended before its trailer (a compressed file cut short).
    private(set) var compressedStreamTruncated = false
    let isGzip: Bool
    /// The 1-based number of the line most recently returned.
    private(set) var lineNumber = 0

    private let path: String
    private var fd: Int32 = -1
    private var gz: gzFile?
    private let buffer: UnsafeMutablePointer<UInt8>
    private let capacity = LineReader.maxLineLength
    private var start = 0
    private var end = 0
    private var eof = false

    init(path: String) throws(ImportError) {
        self.path = path
        buffer = .allocate(capacity: capacity)
        let descriptor = open(path, O_RDONLY)
        fd = descriptor
        guard descriptor >= 0 else {
            buffer.deallocate()
            throw ImportError(file: path, .file, "cannot open: \(String(cString: strerror(errno)))", kind: .io)
        }
        var magic: (UInt8, UInt8) = (0, 0)
        let n = withUnsafeMutableBytes(of: &magic) { pread(descriptor, $0.baseAddress, 2, 0) }
        let gzipped = n == 2 && magic.0 == 0x1f && magic.1 == 0x8b
        isGzip = gzipped
        if gzipped {
            // gzdopen takes ownership of the descriptor.
            gz = gzdopen(fd, "rb")
            fd = -1
            guard let g = gz else {
                buffer.deallocate()
                throw ImportError(file: path, .file, "cannot open the gzip stream")
            }
            gzbuffer(g, 1 << 18)
        }
    }

    deinit {
        if let g = gz { gzclose_r(g) }
        if fd >= 0 { close(fd) }
        buffer.deallocate()
    }

    /// Calls `body` with the next line (without its `\n` or `\r\n`); false at the end.
    @inline(__always)
    func nextLine<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) throws -> R? {
        while true {
            if start < end, let nl = memchr(buffer + start, 0x0a, end - start) {
                let nlIndex = buffer.distance(to: nl.assumingMemoryBound(to: UInt8.self))
                var lineEnd = nlIndex
                if lineEnd > start && buffer[lineEnd - 1] == 0x0d { lineEnd -= 1 }
                let line = UnsafeBufferPointer(start: buffer + start, count: lineEnd - start)
                start = nlIndex + 1
                lineNumber += 1
                return try body(line)
            }
            if eof {
                guard start < end else { return nil }
                lastLineUnterminated = true
                var lineEnd = end
                if buffer[lineEnd - 1] == 0x0d { lineEnd -= 1 }
                let line = UnsafeBufferPointer(start: buffer + start, count: lineEnd - start)
                start = end
                lineNumber += 1
                return try body(line)
            }
            try fill()
        }
    }

    private func fill() throws(ImportError) {
        if start > 0 {
            // Keep the partial line at the front.
            let keep = end - start
            if keep > 0 { memmove(buffer, buffer + start, keep) }
            start = 0
            end = keep
        }
        if end == capacity {
            throw ImportError(file: path, .line(lineNumber + 1),
                              "line longer than \(Self.maxLineLength) bytes (1 MiB): not a text trace this reader accepts")
        }
        let want = capacity - end
        if let g = gz {
            let n = gzread(g, buffer + end, UInt32(min(want, Int(Int32.max))))
            if n < 0 {
                var code: Int32 = 0
                let msg = String(cString: gzerror(g, &code))
                throw ImportError(file: path, .line(lineNumber + 1), "corrupt gzip data: \(msg)")
            }
            if n == 0 {
                eof = true
                var code: Int32 = 0
                _ = gzerror(g, &code)
                // zlib reports a stream cut short as Z_BUF_ERROR ("unexpected end of file").
                if code == Z_BUF_ERROR { compressedStreamTruncated = true }
                else if code != Z_OK {
                    throw ImportError(file: path, .line(lineNumber + 1), "corrupt gzip data: \(String(cString: gzerror(g, &code)))")
                }
            }
            end += Int(n)
        } else {
            var n: Int
            repeat { n = read(fd, buffer + end, want) } while n < 0 && errno == EINTR
            if n < 0 {
                throw ImportError(file: path, .line(lineNumber + 1), "cannot read: \(String(cString: strerror(errno)))", kind: .io)
            }
            if n == 0 { eof = true }
            end += n
        }
    }
}
