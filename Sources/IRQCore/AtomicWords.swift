import Synchronization

/// Who may touch a core structure's words (docs/core.md, "Word access").
public enum WordAccess: Sendable {
    /// Any number of threads at once (live mode, the stress tests): every read-modify-write is
    /// an atomic instruction with the ordering its call site asks for.
    case shared
    /// One thread at a time, handed over only with a happens-before edge (the replay: one
    /// engine per structure, on one thread). The same operations run in the same order; a
    /// read-modify-write is a plain load and store instead of a locked instruction, which costs
    /// about 20 ns on the project VM against about 1 ns (docs/performance.md).
    case exclusive
}

/// All raw memory of one core structure in a single allocation of atomic 32-bit words.
///
/// Every word is an `Atomic<UInt32>` so the same tables serve the single-threaded replay and the
/// live mode, where harts, the device and the guest are real threads. The handle is noncopyable:
/// exactly one owner frees the memory, and nothing can keep a stale copy of the base pointer.
@usableFromInline
struct AtomicWords: ~Copyable {
    @usableFromInline let base: UnsafeMutablePointer<Atomic<UInt32>>
    @usableFromInline let count: Int
    /// `WordAccess.exclusive`: read-modify-writes are plain loads and stores.
    @usableFromInline let exclusive: Bool

    init(count: Int, access: WordAccess = .shared) {
        precondition(count > 0)
        self.count = count
        exclusive = access == .exclusive
        base = .allocate(capacity: count)
        for i in 0..<count { (base + i).initialize(to: Atomic(0)) }
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    @inlinable @inline(__always)
    func check(_ i: Int) {
        #if IRQCORE_CHECKS
        precondition(i >= 0 && i < count, "atomic word index \(i) out of 0..<\(count)")
        #endif
    }

    // Loads and stores test `exclusive` only where an acquiring load or a releasing store costs
    // more than a plain one. On x86-64 (TSO) they are the same plain move, so both modes take the
    // ordering the call asks for: the test bought nothing there and cost an instruction or more at
    // every access (about 8 per rate-limit check, docs/performance.md).
    @inlinable @inline(__always)
    func load(_ i: Int, _ order: Order = .relaxed) -> UInt32 {
        check(i)
        #if !arch(x86_64)
        if exclusive { return base[i].load(ordering: .relaxed) }
        #endif
        switch order {
        case .relaxed: return base[i].load(ordering: .relaxed)
        default: return base[i].load(ordering: .acquiring)
        }
    }

    @inlinable @inline(__always)
    func store(_ i: Int, _ v: UInt32, _ order: Order = .relaxed) {
        check(i)
        #if !arch(x86_64)
        if exclusive { base[i].store(v, ordering: .relaxed); return }
        #endif
        switch order {
        case .relaxed: base[i].store(v, ordering: .relaxed)
        default: base[i].store(v, ordering: .releasing)
        }
    }

    /// Sets `bits`; returns the word before.
    @inlinable @inline(__always) @discardableResult
    func or(_ i: Int, _ bits: UInt32, _ order: Order = .relaxed) -> UInt32 {
        check(i)
        if exclusive {
            let old = base[i].load(ordering: .relaxed)
            base[i].store(old | bits, ordering: .relaxed)
            return old
        }
        switch order {
        case .relaxed: return base[i].bitwiseOr(bits, ordering: .relaxed).oldValue
        case .acquiring: return base[i].bitwiseOr(bits, ordering: .acquiring).oldValue
        case .releasing: return base[i].bitwiseOr(bits, ordering: .releasing).oldValue
        case .acquiringAndReleasing: return base[i].bitwiseOr(bits, ordering: .acquiringAndReleasing).oldValue
        }
    }

    /// Clears `bits`; returns the word before.
    @inlinable @inline(__always) @discardableResult
    func clear(_ i: Int, _ bits: UInt32, _ order: Order = .relaxed) -> UInt32 {
        check(i)
        if exclusive {
            let old = base[i].load(ordering: .relaxed)
            base[i].store(old & ~bits, ordering: .relaxed)
            return old
        }
        switch order {
        case .relaxed: return base[i].bitwiseAnd(~bits, ordering: .relaxed).oldValue
        case .acquiring: return base[i].bitwiseAnd(~bits, ordering: .acquiring).oldValue
        case .releasing: return base[i].bitwiseAnd(~bits, ordering: .releasing).oldValue
        case .acquiringAndReleasing: return base[i].bitwiseAnd(~bits, ordering: .acquiringAndReleasing).oldValue
        }
    }

    @inlinable @inline(__always)
    func compareExchange(_ i: Int, expected: UInt32, desired: UInt32,
                         _ order: Order = .acquiringAndReleasing) -> (exchanged: Bool, original: UInt32) {
        check(i)
        if exclusive {
            let old = base[i].load(ordering: .relaxed)
            if old != expected { return (false, old) }
            base[i].store(desired, ordering: .relaxed)
            return (true, old)
        }
        switch order {
        case .relaxed: return base[i].compareExchange(expected: expected, desired: desired, ordering: .relaxed)
        case .acquiring: return base[i].compareExchange(expected: expected, desired: desired, ordering: .acquiring)
        case .releasing: return base[i].compareExchange(expected: expected, desired: desired, ordering: .releasing)
        case .acquiringAndReleasing:
            return base[i].compareExchange(expected: expected, desired: desired, ordering: .acquiringAndReleasing)
        }
    }
}

/// Memory orderings, as a value: the standard ones must be spelled as constants at each call.
@usableFromInline
enum Order { case relaxed, acquiring, releasing, acquiringAndReleasing }

/// Word index and bit of an ID in a bitfield of 32-bit words (QEMU's sifive_plic layout).
@inlinable @inline(__always)
func wordBit(_ id: Int) -> (word: Int, bit: UInt32) { (id &>> 5, 1 &<< UInt32(id & 31)) }

/// Bit `w` (0...31) of a summary word, the bit that names word w of a bitmap. Without the
/// trapping conversion `UInt32(w)`, four more instructions at each summary update.
@inlinable @inline(__always)
func summaryBit(_ w: Int) -> UInt32 { 1 &<< UInt32(truncatingIfNeeded: w) }
