#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file's bytes, memory-mapped when possible (regular files) and read into memory
/// otherwise (pipes, /dev/stdin). pcapng blocks are parsed in place: no per-packet copy.
final class MappedFile {
    let bytes: UnsafeRawBufferPointer
    private let mapped: Bool

    init(path: String) throws(ImportError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw ImportError(file: path, .file, "cannot open: \(String(cString: strerror(errno)))", kind: .io)
        }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG {
            let size = Int(st.st_size)
            if size == 0 {
                bytes = UnsafeRawBufferPointer(start: nil, count: 0)
                mapped = false
                return
            }
            if let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED {
                bytes = UnsafeRawBufferPointer(start: p, count: size)
                mapped = true
                return
            }
        }
        // Not mappable: read everything.
        var capacity = 1 << 20
        var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        var count = 0
        while true {
            if count == capacity {
                let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 16)
                bigger.copyMemory(from: buffer, byteCount: count)
                buffer.deallocate()
                buffer = bigger
                capacity *= 2
            }
            let n = read(fd, buffer + count, capacity - count)
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                buffer.deallocate()
                throw ImportError(file: path, .file, "cannot read: \(reason)", kind: .io)
            }
            if n == 0 { break }
            count += n
        }
        bytes = UnsafeRawBufferPointer(start: buffer, count: count)
        mapped = false
    }

    deinit {
        guard let base = bytes.baseAddress else { return }
        if mapped {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        } else {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }
}
