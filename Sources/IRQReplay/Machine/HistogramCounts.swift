#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Histogram

/// The latency distributions' HdrHistogram bucket counts in plain memory, for the replay's hot
/// path (docs/performance.md): recording a sample into `Distribution`'s histogram costs its
/// array's uniqueness check, bounds checks and the library's own min/max tracking, about 70
/// instructions, three times per request, and a histogram that grows allocates. Here a sample
/// is one bucket index and one increment; `flush` hands the counts to the distributions at the
/// end of a replay, as the list of non-empty buckets (each bucket's lowest value, which lands in
/// the same bucket, and its count). The distributions' exact count, sum, min and max are kept as
/// each sample is recorded (`Distribution.recordScalars`), so they are current during the replay.
///
/// The bucket layout is `Distribution`'s histogram's (lowest discernible value 1, 3 significant
/// digits, values up to 2^62), derived here from the HdrHistogram rules and checked against the
/// library's `lowestEquivalentForValue` when the first one is made.
struct HistogramCounts: ~Copyable {
    /// The distributions counted, in `ReplayMetrics` order.
    enum Kind: Int, CaseIterable { case claimToComplete, requestToGuest, requestToDone, hostLatency }

    // HdrHistogram with 3 significant digits from 1: 2048 sub-buckets (2 x 10^3 rounded up to a
    // power of two), buckets that double from 2048 up, so that bucket b holds values below
    // 2^(11 + b) in steps of 2^b, and the upper half of each bucket's sub-buckets is its own.
    static let subBucketHalfCountMagnitude = 10
    static let subBucketHalfCount = 1 << subBucketHalfCountMagnitude
    static let subBucketMask: UInt64 = (1 << (subBucketHalfCountMagnitude + 1)) - 1
    static let highest: UInt64 = 1 << 62
    /// Buckets up to 2^62: bucket 51 ends at 2^62, so 2^62 itself is in bucket 52.
    static let bucketCount = 53
    /// Counts per kind: a slot for every value, past 2^62 too (`slot`), so that recording a
    /// sample needs no clamp; `flush` adds the slots past 2^62's to its bucket, as the histogram
    /// counts every value past 2^62 there.
    static let perKind = (bucketCount + 2) * subBucketHalfCount

    private let counts: UnsafeMutablePointer<UInt64>

    /// Zeroed counts for every kind. `calloc`: the pages stay untouched (and cost nothing) until
    /// a sample lands in them, which matters for sweeps that make thousands of machines.
    init() {
        Self.checkLayoutOnce
        guard let p = calloc(Kind.allCases.count * Self.perKind, MemoryLayout<UInt64>.stride) else {
            fatalError("out of memory for the latency histograms")
        }
        counts = p.bindMemory(to: UInt64.self, capacity: Kind.allCases.count * Self.perKind)
    }

    deinit { free(counts) }

    /// The histogram's bucket index of `value` (values past 2^62 count as 2^62).
    @inline(__always)
    static func index(_ value: UInt64) -> Int { slot(Swift.min(value, highest)) }

    /// The counts' slot of any value: its bucket index up to 2^62, and past it slots of the same
    /// layout (bucket b holds values below 2^(11 + b) in steps of 2^b, the upper half of its
    /// sub-buckets its own), up to 2^64 - 1. With m the value's highest set bit (at least bit
    /// 10), the value's bucket is m - 10 and its sub-bucket value >> (m - 10): a few
    /// instructions, where a sample's whole recording is a few tens.
    @inline(__always)
    static func slot(_ value: UInt64) -> Int {
        let shift = (Int(truncatingIfNeeded: UInt64.bitWidth) &- 1 &- (value | subBucketMask).leadingZeroBitCount)
            &- subBucketHalfCountMagnitude
        return (shift &<< subBucketHalfCountMagnitude) &+ Int(truncatingIfNeeded: value &>> UInt64(truncatingIfNeeded: shift))
    }

    /// The lowest value of the bucket at `index`.
    static func lowestValue(_ index: Int) -> UInt64 {
        var bucket = (index >> subBucketHalfCountMagnitude) - 1
        var subBucket = (index & (subBucketHalfCount - 1)) + subBucketHalfCount
        if bucket < 0 {
            subBucket -= subBucketHalfCount
            bucket = 0
        }
        return UInt64(subBucket) << UInt64(bucket)
    }

    @inline(__always)
    func record(_ kind: Kind, _ value: UInt64) {
        counts[kind.rawValue &* Self.perKind &+ Self.slot(value)] &+= 1
    }

    /// `n` samples of one value at once (a fast-forwarded storm's cycles).
    @inline(__always)
    func record(_ kind: Kind, _ value: UInt64, count n: UInt64) {
        counts[kind.rawValue &* Self.perKind &+ Self.slot(value)] &+= n
    }

    /// Adds the counts of `kind` to `d`'s histogram and clears them, lowest bucket first.
    /// Every sample counted here is in `d`'s exact min and max (`Distribution.recordScalars`),
    /// so only the buckets between theirs are read: the pages of the others stay untouched
    /// (calloc's zero pages, never faulted in). Empty buckets in between are skipped eight at a
    /// time, one test per block instead of one per bucket.
    func flush(_ kind: Kind, into d: inout Distribution) {
        guard d.count > 0 else { return }
        let base = counts + kind.rawValue * Self.perKind
        if d.max > Self.highest {
            // The slots past 2^62's: their counts are 2^62's bucket's.
            let top = Self.index(Self.highest)
            for i in top + 1 ..< Self.slot(d.max) + 1 {
                base[top] &+= base[i]
                base[i] = 0
            }
        }
        let from = Self.index(d.min) / Self.flushBlock * Self.flushBlock
        let to = Swift.min(Self.perKind, (Self.index(d.max) / Self.flushBlock + 1) * Self.flushBlock)
        // Counted first, so the list is one allocation whatever the number of buckets.
        var nonEmpty = 0
        forEachNonEmpty(base, from, to) { _ in nonEmpty += 1 }
        var list: [(value: UInt64, count: UInt64)] = []
        list.reserveCapacity(nonEmpty)
        forEachNonEmpty(base, from, to) { i in
            list.append((Self.lowestValue(i), base[i]))
            base[i] = 0
        }
        d.addBuckets(list)
    }

    /// The non-empty buckets among `base[from..<to]` (whole blocks), skipping empty blocks with
    /// one test each.
    @inline(__always)
    private func forEachNonEmpty(_ base: UnsafeMutablePointer<UInt64>, _ from: Int, _ to: Int, _ body: (Int) -> Void) {
        for block in stride(from: from, to: to, by: Self.flushBlock) {
            var any: UInt64 = 0
            for i in block..<block + Self.flushBlock { any |= base[i] }
            if any == 0 { continue }
            for i in block..<block + Self.flushBlock where base[i] != 0 { body(i) }
        }
    }

    static let flushBlock = 8

    /// The layout derived above is the library's: checked once per process.
    private static let checkLayoutOnce: Void = {
        let h = Distribution().histogram
        for v: UInt64 in [0, 1, 1023, 1024, 2047, 2048, 2049, 4095, 4096, 1_000_003, 123_456_789_012, 1 << 40 | 12_345,
                          highest - 1, highest] {
            precondition(lowestValue(index(v)) == h.lowestEquivalentForValue(v),
                         "HistogramCounts' bucket layout differs from the histogram's at \(v)")
        }
        precondition(slot(.max) < perKind && index(highest) < perKind && perKind % flushBlock == 0)
    }()
}

extension Machine {
    /// `n` samples of value `v` of one latency distribution at once (a fast-forwarded storm's
    /// cycles), counted like `recordLatency`'s: nothing allocates during the replay.
    @inline(__always)
    func recordLatency(_ kind: HistogramCounts.Kind, _ v: UInt64, count n: UInt64) {
        guard n > 0 else { return }
        withDistribution(kind) { $0.recordScalars(v, count: n) }
        latencyCounts.record(kind, v, count: n)
    }
}
