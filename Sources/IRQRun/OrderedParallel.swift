import Dispatch
import Foundation

/// Runs `work` on `count` items, `jobs` at a time, and hands each result to `emit` in item order,
/// one call at a time, as soon as every earlier item has been emitted.
///
/// At most `window` items are taken beyond the next one to emit: a slow item holds the others
/// back instead of letting finished results pile up, so memory stays bounded whatever `count`
/// is. The output order never depends on `jobs` or on timing. When `emit` throws, no new items
/// are started and the first error is rethrown once the running ones end.
public func orderedParallel<T>(count: Int, jobs: Int, window: Int,
                               work: @escaping @Sendable (Int) -> T,
                               emit: (Int, T) throws -> Void) throws {
    guard count > 0 else { return }
    let state = OrderedParallelState<T>(window: max(1, window))
    let width = max(1, min(jobs, count))
    // `emit` is only ever called with `state.cond` released and `emitting` set, i.e. by one
    // thread at a time, and never after concurrentPerform returns; it is not Sendable, hence the
    // unchecked box.
    withoutActuallyEscaping(emit) { emit in
        let emitBox = UncheckedBox(emit)
        DispatchQueue.concurrentPerform(iterations: width) { _ in
            while let i = state.take(count: count) {
                state.finish(i, work(i), emit: emitBox.value)
            }
        }
    }
    if let e = state.error { throw e }
}

private struct UncheckedBox<V>: @unchecked Sendable {
    let value: V
    init(_ value: V) { self.value = value }
}

private final class OrderedParallelState<T>: @unchecked Sendable {
    let cond = NSCondition()
    let window: Int
    var nextTake = 0
    var nextEmit = 0
    var emitting = false
    var pending: [Int: T] = [:]
    var error: Error?

    init(window: Int) { self.window = window }

    /// The next item to work on, waiting while it is too far ahead of the emitted ones.
    func take(count: Int) -> Int? {
        cond.lock()
        defer { cond.unlock() }
        guard error == nil, nextTake < count else { return nil }
        let i = nextTake
        nextTake += 1
        while i >= nextEmit + window && error == nil { cond.wait() }
        return error == nil ? i : nil
    }

    func finish(_ i: Int, _ result: T, emit: (Int, T) throws -> Void) {
        cond.lock()
        pending[i] = result
        // Another thread is emitting: it will see this result when it gets to `i`.
        if emitting { cond.unlock(); return }
        emitting = true
        while error == nil, let r = pending.removeValue(forKey: nextEmit) {
            let k = nextEmit
            cond.unlock()
            var failure: Error?
            do { try emit(k, r) } catch { failure = error }
            cond.lock()
            if let failure { error = failure; pending.removeAll() }
            nextEmit += 1
            cond.broadcast()
        }
        emitting = false
        cond.unlock()
    }
}
