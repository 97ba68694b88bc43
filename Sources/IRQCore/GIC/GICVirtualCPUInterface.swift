import Synchronization

/// One vCPU's GICv2 virtual CPU interface and the hypervisor's overflow queue (docs/model.md G.3,
/// G.4): the list registers the hypervisor writes (GICH), the guest's acknowledge and EOI
/// through them (GICV, no trap), and the maintenance line they raise.
///
/// List registers and the queue live in fixed storage allocated at set-up (at most 64 list
/// registers, at most one queue entry per vIRQ). Every operation runs under one spinlock, as
/// Xen's vgic lock guards `lr_pending`; the maintenance line and "some entry pending" are
/// published in an atomic word after each operation, so the physical GIC and a polling guest read
/// them without the lock.
public final class GICVirtualCPUInterface: @unchecked Sendable {
    public static let maxListRegisters = 64

    public let listRegisters: Int
    public let policy: ListRegisterPolicy
    public let refillTrigger: ListRegisterRefill
    public let mode: ListRegisterMode

    private static let lrAt = 0
    private static let queueAt = maxListRegisters
    private static let queueCountAt = queueAt + 1024
    private static let inQueueAt = queueCountAt + 1
    private static let priorityAt = inQueueAt + 32
    private static let lockAt = priorityAt + 1024
    /// Bit 0: the maintenance line; bit 1: some list register is pending.
    private static let flagsAt = lockAt + 1
    private static let total = flagsAt + 1
    private static let maintenanceFlag: UInt32 = 1
    private static let pendingFlag: UInt32 = 2

    private let words = AtomicWords(count: GICVirtualCPUInterface.total)
    private let overflows = Atomic<UInt64>(0)
    private let evictions = Atomic<UInt64>(0)
    private let refills = Atomic<UInt64>(0)

    public init(listRegisters: Int, policy: ListRegisterPolicy, refill: ListRegisterRefill, mode: ListRegisterMode) {
        precondition(listRegisters >= 1 && listRegisters <= Self.maxListRegisters)
        self.listRegisters = listRegisters
        self.policy = policy
        self.refillTrigger = refill
        self.mode = mode
    }

    // MARK: Queries (lock-free)

    /// M's level line: some entry awaits EOI maintenance, or the queue is not empty (the refill
    /// trigger is armed) and the trigger's condition holds.
    public var maintenanceLine: Bool { words.load(Self.flagsAt, .acquiring) & Self.maintenanceFlag != 0 }
    /// Some list register is pending (not pending and active): the guest is signalled.
    public var hasPending: Bool { words.load(Self.flagsAt, .acquiring) & Self.pendingFlag != 0 }

    /// `lr_overflows`, `lr_evictions`, `lr_refills` so far.
    public var overflowCount: UInt64 { overflows.load(ordering: .relaxed) }
    public var evictionCount: UInt64 { evictions.load(ordering: .relaxed) }
    public var refillCount: UInt64 { refills.load(ordering: .relaxed) }

    /// A copy of list register `i`.
    public func listRegister(_ i: Int) -> ListRegister {
        locked { ListRegister(raw: words.load(Self.lrAt + i)) }
    }

    /// The overflow queue, head (next to refill) first. Allocates: for tests and reports only.
    public var queued: [Int] {
        locked { (0..<queueCount).map { Int(words.load(Self.queueAt + $0)) } }
    }

    public var queueLength: Int { locked { queueCount } }
    public var freeListRegisters: Int { locked { freeCount } }

    // MARK: Hypervisor side (GICH)

    /// The priority the guest sees for `virq` (1...7).
    public func setPriority(_ virq: Int, _ p: UInt32) {
        precondition(virq >= 1 && virq < GIC.sourceCount && p >= 1 && p <= GIC.maxPriority)
        words.store(Self.priorityAt + virq, p)
    }

    /// Inject `virq` (docs/model.md G.3, in this order): merged when it is already pending in a
    /// list register or queued; active and pending when it is active there (HW = 0); else the
    /// lowest free list register; else, under `priority`, the list register of the lowest-priority
    /// pending entry below it (ties: the highest vIRQ), whose entry goes to the queue; else the queue.
    @inline(__always)
    public func inject(virq: Int) -> InjectOutcome {
        locked {
            let p = words.load(Self.priorityAt + virq)
            var free = -1
            var victim = -1
            var victimLR = ListRegister(raw: 0)
            for i in 0..<listRegisters {
                var lr = ListRegister(raw: words.load(Self.lrAt + i))
                if lr.isValid && lr.virq == virq {
                    switch lr.state {
                    case .pending, .pendingActive, .invalid:
                        return .merged
                    case .active:
                        // A HW entry's physical interrupt is still active, so it cannot be
                        // acknowledged and injected again; were it, Xen refuses it.
                        if lr.hw { return .merged }
                        lr.state = .pendingActive
                        words.store(Self.lrAt + i, lr.raw)
                        return .pendingActive
                    }
                }
                if lr.isFree {
                    if free < 0 { free = i }
                } else if lr.state == .pending && lr.priority < p {
                    if victim < 0 || lr.priority < victimLR.priority
                        || (lr.priority == victimLR.priority && lr.virq > victimLR.virq) {
                        victim = i
                        victimLR = lr
                    }
                }
            }
            if isQueued(virq) { return .merged }
            if free >= 0 {
                write(virq, into: free)
                return .written
            }
            if policy == .priority && victim >= 0 {
                enqueue(victimLR.virq)
                write(virq, into: victim)
                evictions.wrappingAdd(1, ordering: .relaxed)
                return .evicted
            }
            enqueue(virq)
            overflows.wrappingAdd(1, ordering: .relaxed)
            return .overflowed
        }
    }

    /// The maintenance handler's read of EISR: every entry awaiting EOI maintenance is cleared
    /// (and so freed), in list-register order; `body` gets each one's vIRQ.
    @inline(__always)
    public func clearEOIEntries(_ body: (Int) -> Void) {
        lock()
        for i in 0..<listRegisters {
            let lr = ListRegister(raw: words.load(Self.lrAt + i))
            if lr.awaitsMaintenance {
                words.store(Self.lrAt + i, 0)
                body(lr.virq)
            }
        }
        publish()
        unlock()
    }

    /// One refill: the head of the queue goes into the lowest free list register, pending.
    /// Returns its vIRQ, or 0 when the queue is empty or no list register is free. When the
    /// queue empties, the refill trigger is disarmed.
    @inline(__always)
    public func refill() -> Int {
        locked {
            let n = queueCount
            guard n > 0 else { return 0 }
            var free = -1
            for i in 0..<listRegisters where ListRegister(raw: words.load(Self.lrAt + i)).isFree {
                free = i
                break
            }
            guard free >= 0 else { return 0 }
            let virq = Int(words.load(Self.queueAt))
            for k in 1..<n { words.store(Self.queueAt + k - 1, words.load(Self.queueAt + k)) }
            words.store(Self.queueCountAt, UInt32(n - 1))
            let (w, b) = wordBit(virq)
            words.clear(Self.inQueueAt + w, b)
            write(virq, into: free)
            refills.wrappingAdd(1, ordering: .relaxed)
            return virq
        }
    }

    // MARK: Guest side (GICV, no trap)

    /// GICV_IAR: the pending entry of the highest priority, ties to the lowest vIRQ, becomes
    /// active. Returns its vIRQ, or 0 (the spurious ID) when none is pending.
    @inline(__always)
    public func acknowledge() -> Int {
        locked {
            var best = -1
            var bestLR = ListRegister(raw: 0)
            for i in 0..<listRegisters {
                let lr = ListRegister(raw: words.load(Self.lrAt + i))
                guard lr.state == .pending else { continue }
                if best < 0 || lr.priority > bestLR.priority
                    || (lr.priority == bestLR.priority && lr.virq < bestLR.virq) {
                    best = i
                    bestLR = lr
                }
            }
            guard best >= 0 else { return 0 }
            bestLR.state = .active
            words.store(Self.lrAt + best, bestLR.raw)
            return bestLR.virq
        }
    }

    /// GICV_EOIR (EOImode 0: drop and deactivate): the entry of `virq` goes from active to
    /// invalid (then awaiting maintenance if it asked for it) or from active and pending to
    /// pending. Returns the physical interrupt a HW entry deactivates, else 0.
    @inline(__always) @discardableResult
    public func endOfInterrupt(virq: Int) -> Int {
        locked {
            for i in 0..<listRegisters {
                var lr = ListRegister(raw: words.load(Self.lrAt + i))
                guard lr.virq == virq && (lr.state == .active || lr.state == .pendingActive) else { continue }
                lr.state = lr.state == .active ? .invalid : .pending
                words.store(Self.lrAt + i, lr.raw)
                return lr.state == .invalid ? lr.physicalID : 0
            }
            return 0
        }
    }

    // MARK: Internals (under the lock)

    private var queueCount: Int { Int(words.load(Self.queueCountAt)) }

    private var freeCount: Int {
        var n = 0
        for i in 0..<listRegisters where ListRegister(raw: words.load(Self.lrAt + i)).isFree { n += 1 }
        return n
    }

    private func isQueued(_ virq: Int) -> Bool {
        let (w, b) = wordBit(virq)
        return words.load(Self.inQueueAt + w) & b != 0
    }

    private func write(_ virq: Int, into i: Int) {
        // The model's vIRQ is its source's ID, so a HW entry's physical ID is the vIRQ.
        let lr = ListRegister(virq: virq, priority: words.load(Self.priorityAt + virq),
                              hw: mode.hw, eoi: mode.eoi, physicalID: virq)
        words.store(Self.lrAt + i, lr.raw)
    }

    /// Queue insert: after the entries it does not beat (priority order: higher priority first,
    /// ties lower vIRQ first), or at the tail (fifo).
    private func enqueue(_ virq: Int) {
        let n = queueCount
        var at = n
        if policy == .priority {
            let p = words.load(Self.priorityAt + virq)
            at = 0
            while at < n {
                let q = Int(words.load(Self.queueAt + at))
                let qp = words.load(Self.priorityAt + q)
                if p > qp || (p == qp && virq < q) { break }
                at += 1
            }
            var k = n
            while k > at {
                words.store(Self.queueAt + k, words.load(Self.queueAt + k - 1))
                k -= 1
            }
        }
        words.store(Self.queueAt + at, UInt32(virq))
        words.store(Self.queueCountAt, UInt32(n + 1))
        let (w, b) = wordBit(virq)
        words.or(Self.inQueueAt + w, b)
    }

    /// Recomputes the published flags from the list registers and the queue.
    private func publish() {
        var valid = 0
        var pending = 0
        var eoi = false
        for i in 0..<listRegisters {
            let lr = ListRegister(raw: words.load(Self.lrAt + i))
            if lr.isValid { valid += 1 }
            if lr.state == .pending { pending += 1 }
            if lr.awaitsMaintenance { eoi = true }
        }
        var armedCondition = false
        if queueCount > 0 {
            switch refillTrigger {
            case .underflow: armedCondition = valid <= 1
            case .noPending: armedCondition = pending == 0
            }
        }
        var flags: UInt32 = 0
        if eoi || armedCondition { flags |= Self.maintenanceFlag }
        if pending > 0 { flags |= Self.pendingFlag }
        words.store(Self.flagsAt, flags, .releasing)
    }

    @inline(__always)
    private func lock() {
        while !words.compareExchange(Self.lockAt, expected: 0, desired: 1, .acquiring).exchanged {
            while words.load(Self.lockAt) != 0 {}
        }
    }

    @inline(__always)
    private func unlock() { words.store(Self.lockAt, 0, .releasing) }

    /// Runs `body` under the lock and republishes the flags.
    @inline(__always)
    private func locked<T>(_ body: () -> T) -> T {
        lock()
        let r = body()
        publish()
        unlock()
        return r
    }
}

extension GICVirtualCPUInterface: VirtualInterruptController {
    /// A storm inject: the guest already had it (merged, or active and now pending too).
    public func inject(_ virq: Int) -> Bool { inject(virq: virq).isStorm }
    public func claim() -> Int { acknowledge() }
    public func complete(_ virq: Int) { endOfInterrupt(virq: virq) }
}
