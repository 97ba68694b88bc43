/// Why a replay stopped.
public struct ReplayError: Error, Equatable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// What a replay can report besides the metrics.
public struct ReplayOptions: Sendable {
    /// When set, physical IRQs are also counted per bucket of this many ns (the rate-over-time plot).
    public var rateBucketNs: UInt64? = nil
    /// Called after every `progressInterval` trace records with the number read so far.
    public var progress: (@Sendable (UInt64) -> Void)? = nil
    public var progressInterval: UInt64 = 1 << 16
    /// Macro-steps and storm fast-forwarding (MacroSteps.swift, StormFastForward.swift). They
    /// change no number; tests switch them off to check exactly that.
    var shortcuts = true

    public init(rateBucketNs: UInt64? = nil, progress: (@Sendable (UInt64) -> Void)? = nil) {
        self.rateBucketNs = rateBucketNs
        self.progress = progress
    }
}

