/// Visits, in ascending order, the set bits of a bitmap of 32-bit words whose non-empty words a
/// summary word names (bit w: word w may be non-zero): `word(w)` gives word w (already combined,
/// e.g. pending AND enabled), `body` gets each set bit's index, 32 w + bit, and returns false to
/// stop. Returns false when `body` stopped it. The claim picks' common walk: only the candidate
/// sources are visited, so their cost follows the pending sources, not the sources there are.
@inlinable @inline(__always)
func forEachSetBit(summary: UInt32, word: (_ w: Int) -> UInt32, _ body: (_ index: Int) -> Bool) -> Bool {
    var s = summary
    while s != 0 {
        let w = s.trailingZeroBitCount
        s &= s &- 1
        var bits = word(w)
        while bits != 0 {
            let index = w &* 32 &+ bits.trailingZeroBitCount
            bits &= bits &- 1
            if !body(index) { return false }
        }
    }
    return true
}
