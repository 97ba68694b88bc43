#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Work run on a thread of its own, its result taken by `join()`: `pthread_create(3)` and
/// `pthread_join(3)`, whose return orders everything the thread wrote before what the caller
/// reads next. What `TraceInput.reading` runs a trace's first pass on, beside the replay, and
/// `irqbench run` its git lookup for the commit column.
///
/// When no thread can be created, `init` runs the work itself, at once: the result is the
/// same, only nothing overlaps.
public final class JoinableThread<T>: @unchecked Sendable {
    private let slot: ResultSlot<T>
    #if canImport(Glibc)
    private var thread = pthread_t()
    #else
    private var thread: pthread_t?
    #endif
    private var running: Bool

    public init(_ work: @escaping @Sendable () -> T) {
        let slot = ResultSlot<T>()
        self.slot = slot
        // The C entry point cannot capture the generic T: it runs a type-erased closure.
        let entry = ThreadEntry { slot.value = work() }
        let context = Unmanaged.passRetained(entry).toOpaque()
        let created = pthread_create(&thread, nil, { context in
            #if canImport(Glibc)
            let entry = Unmanaged<ThreadEntry>.fromOpaque(context!).takeRetainedValue()
            #else
            let entry = Unmanaged<ThreadEntry>.fromOpaque(context).takeRetainedValue()
            #endif
            entry.run()
            return nil
        }, context)
        running = created == 0
        if !running {
            Unmanaged<ThreadEntry>.fromOpaque(context).release()
            entry.run()
        }
    }

    /// Waits for the work to end (once; later calls return at once) and returns its result.
    public func join() -> T {
        if running {
            #if canImport(Glibc)
            pthread_join(thread, nil)
            #else
            pthread_join(thread!, nil)
            #endif
            running = false
        }
        return slot.value!
    }

    // A thread is never left running unjoined: it may still be reading a file its caller is
    // done with.
    deinit { _ = join() }
}

private final class ResultSlot<T>: @unchecked Sendable {
    var value: T?
}

private final class ThreadEntry {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
}
