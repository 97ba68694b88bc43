/// The incoming-MSI controllers of every hart (docs/model.md Part A, A.4-A.5): per hart, interrupt
/// file 0 (supervisor level, the hypervisor's) and guest interrupt files 1...`guestFiles`.
///
/// Per file: `eip` and `eie` bitfields over identities 1...2047, `eithreshold` and `eidelivery`.
/// There is no in-service state and no complete: an identity can be delivered again as soon as an
/// MSI sets its `eip` bit again. Every word is atomic (an MSI write and a claim may race).
public final class IMSIC: @unchecked Sendable {
    /// Identities 1...2047 (the spec's largest N), so an EIID equal to a source ID always fits.
    public static let identities = 2047
    static let wordsPerBitmap = 64

    public let harts: Int
    /// Guest interrupt files per hart (GEILEN in use).
    public let guestFiles: Int
    public var filesPerHart: Int { guestFiles + 1 }

    // Per file: eip[64], eie[64], summary[2] (bit per non-zero eip word), eithreshold, eidelivery.
    private static let eieOffset = 64
    private static let summaryOffset = 128
    private static let thresholdOffset = 130
    private static let deliveryOffset = 131
    private static let fileWords = 132

    private let words: AtomicWords

    public init(harts: Int, guestFiles: Int) {
        precondition(harts >= 1 && harts <= 64 && guestFiles >= 0 && guestFiles <= 63)
        self.harts = harts
        self.guestFiles = guestFiles
        words = AtomicWords(count: harts * (guestFiles + 1) * Self.fileWords)
        for f in 0..<harts * (guestFiles + 1) { words.store(f * Self.fileWords + Self.deliveryOffset, 1) }
    }

    @inline(__always)
    private func base(_ hart: Int, _ file: Int) -> Int {
        #if IRQCORE_CHECKS
        precondition(hart >= 0 && hart < harts && file >= 0 && file <= guestFiles, "no interrupt file \(file) on hart \(hart)")
        #endif
        return (hart * (guestFiles + 1) + file) * Self.fileWords
    }

    /// The identity is 1...2047 (writes of other values are ignored by the hardware).
    @inline(__always)
    static func valid(_ id: Int) -> Bool { id >= 1 && id <= identities }

    // MARK: Configuration

    /// Sets or clears `eie[id]` (the file's owner enables the identities it handles).
    public func setEnabled(hart: Int, file: Int, _ id: Int, _ on: Bool) {
        precondition(Self.valid(id))
        let b0 = base(hart, file)
        let (w, b) = wordBit(id)
        if on { words.or(b0 + Self.eieOffset + w, b, .releasing) } else { words.clear(b0 + Self.eieOffset + w, b, .releasing) }
    }

    public func setThreshold(hart: Int, file: Int, _ t: UInt32) { words.store(base(hart, file) + Self.thresholdOffset, t) }

    /// `eidelivery`: 1 delivers, 0 stops the file from signalling.
    public func setDelivery(hart: Int, file: Int, _ on: Bool) { words.store(base(hart, file) + Self.deliveryOffset, on ? 1 : 0) }

    // MARK: Queries

    public func isPending(hart: Int, file: Int, _ id: Int) -> Bool {
        let (w, b) = wordBit(id)
        return words.load(base(hart, file) + w) & b != 0
    }

    public func isEnabled(hart: Int, file: Int, _ id: Int) -> Bool {
        let (w, b) = wordBit(id)
        return words.load(base(hart, file) + Self.eieOffset + w) & b != 0
    }

    /// `topei` of the file: the lowest enabled pending identity (identity is priority), 0 for none.
    @inline(__always)
    public func topei(hart: Int, file: Int) -> Int {
        let b0 = base(hart, file)
        guard words.load(b0 + Self.deliveryOffset) != 0 else { return 0 }
        return IMSIC.pickTopei(
            threshold: words.load(b0 + Self.thresholdOffset),
            pendingWords: UInt64(words.load(b0 + Self.summaryOffset, .acquiring))
                | UInt64(words.load(b0 + Self.summaryOffset + 1, .acquiring)) << 32,
            candidates: { w in words.load(b0 + w, .acquiring) & words.load(b0 + Self.eieOffset + w) })
    }

    /// The file signals its hart (file 0: SEIP; guest file g: hgeip[g]).
    @inline(__always)
    public func hasInterrupt(hart: Int, file: Int) -> Bool { topei(hart: hart, file: file) != 0 }

    // MARK: MSIs and claims

    /// An MSI write of `id` to the file's `seteipnum`: `eip[id]` := 1. Returns true when it already
    /// was 1 (the MSI merged into a pending identity).
    @inline(__always) @discardableResult
    public func seteipnum(hart: Int, file: Int, _ id: Int) -> Bool {
        guard Self.valid(id) else { return false }
        let b0 = base(hart, file)
        let (w, b) = wordBit(id)
        let old = words.or(b0 + w, b, .acquiringAndReleasing)
        words.or(b0 + Self.summaryOffset + (w >> 5), 1 &<< UInt32(w & 31), .releasing)
        return old & b != 0
    }

    /// The claim `csrrw rd, stopei, x0`: returns `topei` and clears that identity's `eip` bit
    /// (only one of two racing claims gets it). 0 when nothing is pending.
    @inline(__always)
    public func claim(hart: Int, file: Int) -> Int {
        let b0 = base(hart, file)
        while true {
            let id = topei(hart: hart, file: file)
            if id == 0 { return 0 }
            let (w, b) = wordBit(id)
            let old = words.clear(b0 + w, b, .acquiringAndReleasing)
            if old & b == 0 { continue }
            if old == b {
                let sw = b0 + Self.summaryOffset + (w >> 5)
                let sb: UInt32 = 1 &<< UInt32(w & 31)
                words.clear(sw, sb)
                if words.load(b0 + w, .acquiring) != 0 { words.or(sw, sb, .releasing) }
            }
            return id
        }
    }

    /// The `topei` pick of the IMSIC specification as a pure function of bitfield words: the
    /// lowest identity set in both `eip` and `eie`; with a non-zero `threshold` only identities
    /// below it. 0 when none (identity 0 never exists).
    /// - `pendingWords`: bit w set when word w of `eip` may be non-zero;
    /// - `candidates(w)`: word w of `eip` AND `eie`.
    @inlinable @inline(__always)
    public static func pickTopei(threshold: UInt32, pendingWords: UInt64, candidates: (Int) -> UInt32) -> Int {
        var s = pendingWords
        while s != 0 {
            let w = s.trailingZeroBitCount
            s &= s &- 1
            var bits = candidates(w)
            if w == 0 { bits &= ~1 }
            if bits != 0 {
                let id = w * 32 + bits.trailingZeroBitCount
                return threshold != 0 && id >= Int(threshold) ? 0 : id
            }
        }
        return 0
    }
}
