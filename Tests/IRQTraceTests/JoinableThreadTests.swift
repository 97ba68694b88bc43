import Testing
@testable import IRQTrace

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `JoinableThread`: the work runs once, on another thread, and `join` hands over its result.
struct JoinableThreadTests {
    @Test func workRunsOnceOnAnotherThreadAndJoinGivesItsResult() {
        let caller = pthread_self()
        let thread = JoinableThread { () -> (Bool, [Int]) in
            (pthread_equal(pthread_self(), caller) != 0, Array(1...1000))
        }
        let (onCaller, values) = thread.join()
        #expect(!onCaller)
        #expect(values.reduce(0, +) == 500_500)
        // Joined once: later calls give the same result without waiting again.
        #expect(thread.join().1 == values)
    }
}
