/// xoshiro256** (Blackman, Vigna 2018). Ours rather than the system RNG so that a seed gives
/// the same trace on every platform and Swift version.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64

    /// The state is four SplitMix64 outputs of `seed` (never all zero), the seeding the
    /// authors recommend.
    public init(seed: UInt64) {
        var sm = SplitMix64(seed: seed)
        s0 = sm.next(); s1 = sm.next(); s2 = sm.next(); s3 = sm.next()
    }

    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in [0, 1): 53 random bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Uniform in (0, 1]: 53 random bits, never 0 (so its logarithm is finite).
    public mutating func nextOpenClosedUnit() -> Double {
        Double((next() >> 11) + 1) * 0x1p-53
    }

    /// An exponential variate with the given mean, rounded to an integer.
    public mutating func nextExponential(mean: Double) -> UInt64 {
        let x = -DeterministicMath.log(nextOpenClosedUnit()) * mean
        return UInt64(x.rounded())
    }
}

/// Math whose results are the same bit for bit everywhere: only IEEE +, -, *, / and exact
/// bit operations, no libm (whose `log` may differ in the last bit between platforms).
public enum DeterministicMath {
    static let ln2 = 0.693_147_180_559_945_3

    /// Natural logarithm of a finite x > 0. x = m * 2^e with m in [sqrt(1/2), sqrt(2)), then
    /// ln m = 2 atanh((m-1)/(m+1)) by a fixed number of series terms (|s| < 0.172, so 14 terms
    /// are far below one ulp).
    public static func log(_ x: Double) -> Double {
        precondition(x > 0 && x.isFinite, "log of \(x)")
        var e = Double(x.exponent)
        var m = x.significand  // [1, 2), exact
        if m > 1.414_213_562_373_095_1 {
            m /= 2
            e += 1
        }
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var term = s
        var sum = 0.0
        var k = 1.0
        for _ in 0..<14 {
            sum += term / k
            term *= s2
            k += 2
        }
        return e * ln2 + 2 * sum
    }
}
