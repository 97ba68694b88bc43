import Testing
import IRQReplay

/// The .hgrm export must be what HdrHistogram's reference implementation writes for the same
/// samples, byte for byte, so that HdrHistogram's plotters read it.
struct PercentileDistributionTextTests {
    /// Made by the Java reference implementation (HdrHistogram 2.1.11, Debian's
    /// libhdrhistogram-java; public domain / BSD-2-Clause) with this program:
    ///
    ///     Histogram h = new Histogram(1, 1L << 62, 3);
    ///     for (long i = 0; i < 10000; i++) h.recordValue((i * i * 7919) % 1_000_000 + 1);
    ///     for (long i = 0; i < 50; i++) h.recordValue(5_000_000L + i * 123_457L);
    ///     h.recordValue(2_000_000_000L);
    ///     h.outputPercentileDistribution(System.out, 5, 1000.0);
    static let reference = """
       Value     Percentile TotalCount 1/(1-Percentile)

       0.001 0.000000000000         10           1.00
     102.399 0.100000000000       1007           1.11
     208.639 0.200000000000       2011           1.25
     310.015 0.300000000000       3022           1.43
     408.319 0.400000000000       4022           1.67
     507.903 0.500000000000       5026           2.00
     561.663 0.550000000000       5533           2.22
     607.743 0.600000000000       6032           2.50
     659.455 0.650000000000       6534           2.86
     708.095 0.700000000000       7036           3.33
     756.735 0.750000000000       7541           4.00
     779.263 0.775000000000       7792           4.44
     806.399 0.800000000000       8044           5.00
     834.047 0.825000000000       8300           5.71
     860.671 0.850000000000       8549           6.67
     886.783 0.875000000000       8798           8.00
     898.047 0.887500000000       8923           8.89
     908.799 0.900000000000       9047          10.00
     921.087 0.912500000000       9174          11.43
     932.863 0.925000000000       9300          13.33
     945.151 0.937500000000       9424          16.00
     952.319 0.943750000000       9490          17.78
     958.463 0.950000000000       9554          20.00
     964.607 0.956250000000       9616          22.86
     970.751 0.962500000000       9676          26.67
     975.871 0.968750000000       9741          32.00
     978.431 0.971875000000       9770          35.56
     980.991 0.975000000000       9805          40.00
     984.575 0.978125000000       9833          45.71
     988.159 0.981250000000       9863          53.33
     990.207 0.984375000000       9894          64.00
     991.743 0.985937500000       9910          71.11
     993.791 0.987500000000       9930          80.00
     994.815 0.989062500000       9944          91.43
     996.863 0.990625000000       9958         106.67
     998.911 0.992187500000       9979         128.00
     999.423 0.992968750000       9987         142.22
     999.935 0.993750000000       9998         160.00
     999.935 0.994531250000       9998         182.86
    5373.951 0.995312500000      10004         213.33
    6361.087 0.996093750000      10012         256.00
    6852.607 0.996484375000      10016         284.44
    7348.223 0.996875000000      10020         320.00
    7839.743 0.997265625000      10024         365.71
    8335.359 0.997656250000      10028         426.67
    8830.975 0.998046875000      10032         512.00
    9076.735 0.998242187500      10034         568.89
    9322.495 0.998437500000      10036         640.00
    9568.255 0.998632812500      10038         731.43
    9822.207 0.998828125000      10040         853.33
   10067.967 0.999023437500      10042        1024.00
   10190.847 0.999121093750      10043        1137.78
   10313.727 0.999218750000      10044        1280.00
   10436.607 0.999316406250      10045        1462.86
   10559.487 0.999414062500      10046        1706.67
   10682.367 0.999511718750      10047        2048.00
   10682.367 0.999560546875      10047        2275.56
   10805.247 0.999609375000      10048        2560.00
   10805.247 0.999658203125      10048        2925.71
   10928.127 0.999707031250      10049        3413.33
   10928.127 0.999755859375      10049        4096.00
   10928.127 0.999780273438      10049        4551.11
   11051.007 0.999804687500      10050        5120.00
   11051.007 0.999829101563      10050        5851.43
   11051.007 0.999853515625      10050        6826.67
   11051.007 0.999877929688      10050        8192.00
   11051.007 0.999890136719      10050        9102.22
 2000683.007 0.999902343750      10051       10240.00
 2000683.007 1.000000000000      10051
#[Mean    =      741.247, StdDeviation   =    19953.865]
#[Max     =  2000683.007, Total count    =        10051]
#[Buckets =           53, SubBuckets     =         2048]

"""

    static func samples() -> [UInt64] {
        var s: [UInt64] = (0..<UInt64(10_000)).map { ($0 * $0 * 7919) % 1_000_000 + 1 }
        s += (0..<UInt64(50)).map { 5_000_000 + $0 * 123_457 }
        s.append(2_000_000_000)
        return s
    }

    @Test func sameTextAsTheReferenceImplementation() throws {
        var d = Distribution()
        for v in Self.samples() { d.record(v) }
        let text = try #require(d.percentileDistributionText())
        let got = text.split(separator: "\n", omittingEmptySubsequences: false)
        let want = Self.reference.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(got.count == want.count)
        var roundedOtherwise = 0
        for (i, (g, w)) in zip(got, want).enumerated() where g != w {
            // Java's Formatter rounds the shortest decimal form half up; hdrhistogram-swift
            // formats with C's printf, which rounds the binary value. They can disagree in the
            // 12th decimal of a percentile (0.999780273437 vs ...438 here, line 64); every
            // other character must be the same.
            let gf = g.split(separator: " "), wf = w.split(separator: " ")
            let sameOtherwise = gf.count == wf.count && gf.count >= 3 && gf[0] == wf[0] && gf[2...] == wf[2...]
            if sameOtherwise, let gp = Double(gf[1]), let wp = Double(wf[1]), abs(gp - wp) <= 1.5e-12 {
                roundedOtherwise += 1
            } else {
                Issue.record("line \(i + 1): got '\(g)', reference '\(w)'")
            }
        }
        #expect(roundedOtherwise <= 1)
    }

    /// The format, line by line, on a case small enough to read: four samples, 1, 1.5, 1.5 and
    /// 2 us. Expected lines from the same Java program with these four recordValue calls.
    @Test func layout() throws {
        var d = Distribution()
        for v: UInt64 in [1000, 1500, 1500, 2000] { d.record(v) }
        let lines = try #require(d.percentileDistributionText()).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "       Value     Percentile TotalCount 1/(1-Percentile)")
        #expect(lines[1] == "")
        #expect(Array(lines[2...5]) == ["       1.000 0.000000000000          1           1.00",
                                        "       1.000 0.100000000000          1           1.11",
                                        "       1.000 0.200000000000          1           1.25",
                                        "       1.500 0.300000000000          3           1.43"])
        #expect(lines.count == 19)
        #expect(Array(lines.suffix(6)) == ["       2.000 0.775000000000          4           4.44",
                                           "       2.000 1.000000000000          4",
                                           "#[Mean    =        1.500, StdDeviation   =        0.354]",
                                           "#[Max     =        2.000, Total count    =            4]",
                                           "#[Buckets =           53, SubBuckets     =         2048]", ""])
    }

    @Test func noSamplesNoFile() {
        #expect(Distribution().percentileDistributionText() == nil)
    }
}
