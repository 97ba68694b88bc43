import Foundation

/// Two-sided Mann-Whitney U test, computed as scipy.stats.mannwhitneyu(x, y, method="auto") does:
/// the exact distribution when there are no ties and one sample has at most 8 values, otherwise the
/// normal approximation with tie correction and continuity correction.
///
/// Chosen over a t-test because wall-clock samples are skewed (a few slow outliers) and over a
/// bootstrap because it is deterministic without a seed. With 3 runs per side the smallest possible
/// p is 0.1, so nothing is ever significant at 0.05: use at least 4 repetitions per side.
public struct MannWhitney: Sendable, Equatable {
    /// U of the first sample: the number of pairs (x, y) with x > y, ties counting one half.
    public var u1: Double
    public var pValue: Double
    public var exact: Bool

    public init?(_ x: [Double], _ y: [Double]) {
        let n1 = x.count, n2 = y.count
        guard n1 > 0, n2 > 0 else { return nil }
        let ranked = midRanks(x + y)
        let r1 = ranked.ranks[0..<n1].reduce(0, +)
        u1 = r1 - Double(n1 * (n1 + 1)) / 2
        let u2 = Double(n1 * n2) - u1
        let u = max(u1, u2)
        if !ranked.hasTies && min(n1, n2) <= 8 && n1 + n2 <= 60 {
            exact = true
            pValue = min(1, 2 * exactUpperTail(n1: n1, n2: n2, atLeast: Int(u.rounded())))
        } else {
            exact = false
            let n = Double(n1 + n2)
            let mu = Double(n1 * n2) / 2
            let variance = Double(n1 * n2) / 12 * ((n + 1) - ranked.tieTerm / (n * (n - 1)))
            if variance <= 0 {
                pValue = 1 // every value equal: no evidence of a shift
            } else {
                let z = (u - mu - 0.5) / variance.squareRoot()
                pValue = min(1, max(0, erfc(z / 2.0.squareRoot()))) // 2 * P(Z > z)
            }
        }
    }
}

/// Average ranks (1-based) for ties, whether any tie occurred, and sum(t^3 - t) over tie groups.
func midRanks(_ values: [Double]) -> (ranks: [Double], hasTies: Bool, tieTerm: Double) {
    let order = values.indices.sorted { values[$0] < values[$1] }
    var ranks = [Double](repeating: 0, count: values.count)
    var hasTies = false
    var tieTerm = 0.0
    var i = 0
    while i < order.count {
        var j = i
        while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
        let avg = Double(i + j + 2) / 2
        for k in i...j { ranks[order[k]] = avg }
        let t = Double(j - i + 1)
        if t > 1 { hasTies = true; tieTerm += t * t * t - t }
        i = j + 1
    }
    return (ranks, hasTies, tieTerm)
}

/// P(U >= u) under the null hypothesis, counting the arrangements with the recurrence
/// f(m, n, u) = f(m-1, n, u-n) + f(m, n-1, u) (Mann and Whitney 1947).
func exactUpperTail(n1: Int, n2: Int, atLeast u: Int) -> Double {
    let maxU = n1 * n2
    // counts[m][n] would be a cube; roll over m and keep a table per n.
    var prev = [[Double]](repeating: [], count: n2 + 1) // prev[n] = distribution for (m-1, n)
    for n in 0...n2 { prev[n] = [1] } // m = 0: U is 0 in one way
    if n1 > 0 {
        for m in 1...n1 {
            var cur = [[Double]](repeating: [], count: n2 + 1)
            cur[0] = [1] // n = 0: U is 0 in one way
            if n2 > 0 {
                for n in 1...n2 {
                    var d = [Double](repeating: 0, count: m * n + 1)
                    for (v, c) in prev[n].enumerated() where c != 0 { d[v + n] += c }
                    for (v, c) in cur[n - 1].enumerated() where c != 0 { d[v] += c }
                    cur[n] = d
                }
            }
            prev = cur
        }
    }
    let dist = prev[n2]
    let total = dist.reduce(0, +)
    guard u <= maxU else { return 0 }
    return dist[max(0, u)...].reduce(0, +) / total
}
