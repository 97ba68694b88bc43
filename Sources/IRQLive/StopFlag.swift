import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Set by Ctrl-C (SIGINT) or by the duration limit; every live thread polls it and winds down,
/// so a stopped run still reports what it measured.
public final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public var isSet: Bool { flag.load(ordering: .acquiring) }
    public func set() { flag.store(true, ordering: .releasing) }
}

/// The flag the SIGINT handler sets: a signal handler may only touch async-signal-safe state,
/// and a lock-free atomic store is.
public let interruptFlag = StopFlag()

/// Routes SIGINT to `interruptFlag` instead of killing the process. A second Ctrl-C while the
/// first is being honoured still stops the process (the default action is restored).
public func installInterruptHandler() {
    signal(SIGINT) { _ in
        interruptFlag.set()
        signal(SIGINT, SIG_DFL)
    }
}
