#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The physical IRQ rate series while a replay runs (`Machine.countPhysicalIRQs`): one count per
/// bucket of `Machine.rateBucketNs`, in plain memory for `Machine.maxRateBuckets` counts, made at
/// the first claim (`calloc`: the pages stay untouched until counted into). Counting a claim is one
/// increment, where an element of a Swift array cost a uniqueness check (a runtime call) and a
/// bounds check at every claim.
struct RateCounts: ~Copyable {
    private var counts: UnsafeMutablePointer<UInt32>? = nil
    /// Buckets in the series: the last one counted into and every one before it.
    private(set) var used = 0

    init() {}

    deinit { free(counts) }

    /// The series so far.
    var series: [UInt32] {
        guard let c = counts else { return [] }
        return Array(UnsafeBufferPointer(start: c, count: used))
    }

    /// Bucket `b` (below `Machine.maxRateBuckets`) is counted into from now on.
    mutating func reach(_ b: Int) {
        if counts == nil {
            guard let p = calloc(Machine.maxRateBuckets, MemoryLayout<UInt32>.stride) else {
                fatalError("out of memory for the rate series")
            }
            counts = p.bindMemory(to: UInt32.self, capacity: Machine.maxRateBuckets)
        }
        used = max(used, b + 1)
    }

    /// Buckets twice as wide: neighbours merged, the series half as long.
    mutating func widen() {
        guard let c = counts else { return }
        let half = (used + 1) / 2
        for i in 0..<half { c[i] = c[2 * i] &+ (2 * i + 1 < used ? c[2 * i + 1] : 0) }
        for i in half..<used { c[i] = 0 }
        used = half
    }

    @inline(__always)
    func add(_ n: UInt32, at i: Int) { counts.unsafelyUnwrapped[i] &+= n }
}
