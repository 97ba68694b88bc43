import Histogram

extension Distribution {
    /// The distribution as HdrHistogram's percentile distribution text (the `.hgrm` files that
    /// HdrHistogram's plotters read), written by the library's own `outputPercentileDistribution`:
    /// a `Value Percentile TotalCount 1/(1-Percentile)` header, one line per percentile tick
    /// (`ticksPerHalfDistance` per halving of the distance to 100%), then the
    /// `#[Mean ...]`, `#[Max ...]` and `#[Buckets ...]` footer. Values are divided by
    /// `nanosecondsPerUnit`: the default 1000 prints microseconds with three decimals, which is
    /// the nanosecond resolution the model has. nil when there are no samples.
    public func percentileDistributionText(nanosecondsPerUnit: Double = 1000, ticksPerHalfDistance: Int = 5) -> String? {
        guard count > 0 else { return nil }
        // The footer names the histogram's bucket count, which for a histogram grown to its
        // largest sample (`Distribution.init()`) depends on that sample: the text is written
        // from a copy sized for 2^62, as the files have always been.
        var full = Distribution(presizedUpTo: Self.highestTrackable).histogram
        full.add(histogram)
        var out = ""
        full.outputPercentileDistribution(to: &out, outputValueUnitScalingRatio: nanosecondsPerUnit,
                                          percentileTicksPerHalfDistance: ticksPerHalfDistance)
        return out
    }
}
