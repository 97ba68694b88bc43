#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Nanoseconds of CLOCK_MONOTONIC: never steps back, unaffected by wall-clock changes (the
/// clock cyclictest and rtla timerlat measure with).
@inline(__always)
public func monotonicNow() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}

/// Busy-waits `ns` nanoseconds: the guest's service and the host handler are CPU work, not sleep,
/// so they occupy their core the way a driver touching device registers does.
@inline(__always)
func busyWait(_ ns: UInt64) {
    guard ns > 0 else { return }
    let end = monotonicNow() &+ ns
    while monotonicNow() < end {}
}
