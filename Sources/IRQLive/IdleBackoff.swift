#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How an idle hart or guest thread waits for work: yield its core for a short while (fast
/// reaction), then sleep in short naps. On 2 cores, threads that only yield would keep both cores
/// busy and make the device thread late; the naps cost up to about `napMicros` plus the kernel's
/// timer slack of reaction time, which the latencies then include (see docs/live.md).
struct IdleBackoff {
    static let yields = 200
    static let napMicros: UInt32 = 20
    private var polls = 0

    mutating func reset() { polls = 0 }

    mutating func wait() {
        polls += 1
        if polls < Self.yields { sched_yield() } else { usleep(Self.napMicros) }
    }
}
