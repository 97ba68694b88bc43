@testable import IRQReplay
import IRQTrace
import Testing

/// The physical IRQ rate series counts every claim in the bucket of its time at the series' final
/// width, as counting the claim times afterwards does, across widenings.
struct RateCountsTests {
    @Test(arguments: [UInt64(1), 7, 1_000, 250_000])
    func seriesIsTheClaimTimesCountedPerBucket(width: UInt64) throws {
        let machine = try PLICMachine(scenario: Scenario(), sources: SourceSettings(), strategy: .hostEnd,
                                      options: ReplayOptions(rateBucketNs: width))
        var g = Xoshiro256StarStar(seed: width)
        var t: UInt64 = 0
        var times: [UInt64] = []
        for _ in 0..<3_000 {
            t += g.next() % 4 == 0 ? g.next() % 5_000_000 : g.next() % 2_000
            times.append(t)
            machine.countPhysicalIRQs(at: t, count: 1)
        }
        let w = machine.rateBucketNs
        #expect(w >= width && w % width == 0)
        var expected = [UInt32](repeating: 0, count: Int(t / w) + 1)
        for c in times { expected[Int(c / w)] += 1 }
        #expect(machine.rateSeries == expected)
        #expect(machine.rateSeries.count <= Machine.maxRateBuckets)
        #expect(machine.m.physicalIRQs == UInt64(times.count))
    }

    /// Without a rate bucket width nothing is counted in a series (and nothing is made for one).
    @Test func noWidthNoSeries() throws {
        let machine = try PLICMachine(scenario: Scenario(), sources: SourceSettings(), strategy: .hostEnd,
                                      options: ReplayOptions())
        for t: UInt64 in [5, 1_000_000, 9_000_000] { machine.countPhysicalIRQs(at: t, count: 2) }
        #expect(machine.rateSeries.isEmpty)
        #expect(machine.m.physicalIRQs == 6 && machine.m.peakIRQsPerMs == 2 && machine.currentBucket == 9 && machine.bucketCount == 2)
    }
}
