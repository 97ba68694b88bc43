import Foundation
import Synchronization
import Testing
@testable import IRQCore

// The PLIC's decision question and claim pick while other threads write its words: both are pure
// reads of the bitfield words, so writers may make them see a state between two writes, but never
// one that no write order gives. Threads count what they saw in atomics; the checks run after every
// thread has joined. Under the thread sanitizer: swift test --sanitize=thread --filter
// ConcurrencyStress (TSan reports through the exit code only).
@Suite("PLICConcurrencyStress", .serialized)
struct PLICConcurrencyStressTests {
    static let ops = 40_000

    /// Context 0 always has source 40 to take (pending, enabled, priority 3, never claimed or
    /// moved): `hasInterrupt(0)` must stay true, and context 0's pick must keep finding a source,
    /// while lines, edges, claims, completes, masks, unmasks, priority moves and enable changes of
    /// other sources (word 0, levels 1-5, the level of source 40 included) race it. Context 2 has
    /// only sources at or below its threshold 3 enabled (the busy sources above it are not): it
    /// must never see an interrupt and every claim of it is spurious, whatever their lines and
    /// priorities do.
    @Test("hasInterrupt and the claim pick never see what no write order gives")
    func decisionsUnderConcurrentWriters() {
        let p = PLIC(contexts: 3, edgeQueue: 2)
        let busy = Array(2...8), low = Array(33...36)
        for (i, s) in busy.enumerated() {
            p.setPriority(s, UInt32(1 + i % 5))
            p.setEdgeTriggered(s, i % 2 == 1)
            p.setEnabled(s, context: 0, true)
            p.setEnabled(s, context: 1, true)
        }
        for s in low {
            p.setPriority(s, 3)
            p.setEnabled(s, context: 1, true)
            p.setEnabled(s, context: 2, true)
        }
        p.setThreshold(context: 2, 3)
        p.setPriority(40, 3)
        p.setEnabled(40, context: 0, true)
        p.setLine(40, high: true)

        let done = Atomic<Int>(0)
        let writers = 4
        let lies = Atomic<Int>(0), missed = Atomic<Int>(0), context2Claims = Atomic<Int>(0)
        let reads = Atomic<Int>(0)
        let bodies: [@Sendable () -> Void] = [
            { // device: lines and edges
                var rng = SplitMix(seed: 11)
                for _ in 0..<Self.ops {
                    let r = rng.next()
                    let s = r & 1 == 0 ? busy[Int(r >> 8) % busy.count] : low[Int(r >> 8) % low.count]
                    if s >= 2 && s <= 8 && (s - 2) % 2 == 1 { p.edge(s) } else { p.setLine(s, high: r & 2 != 0) }
                }
                done.wrappingAdd(1, ordering: .releasing)
            },
            { // hart 1: claims and completes (pending and summary bits come and go)
                for _ in 0..<Self.ops {
                    let id = p.claim(context: 1)
                    if id != 0 { p.complete(context: 1, id) }
                }
                done.wrappingAdd(1, ordering: .releasing)
            },
            { // masks and unmasks of the busy sources (levels 1-5 emptied and refilled)
                var rng = SplitMix(seed: 12)
                for _ in 0..<Self.ops {
                    let r = rng.next()
                    let s = busy[Int(r >> 8) % busy.count]
                    if r & 1 == 0 { p.mask(s) } else { p.unmask(s) }
                }
                done.wrappingAdd(1, ordering: .releasing)
            },
            { // context 2's sources move between priorities 0...3; busy sources' enables for context 0
                var rng = SplitMix(seed: 13)
                for _ in 0..<Self.ops {
                    let r = rng.next()
                    if r & 1 == 0 {
                        p.setPriority(low[Int(r >> 8) % low.count], UInt32(r >> 40) % 4)
                    } else {
                        p.setEnabled(busy[Int(r >> 8) % busy.count], context: 0, r & 2 != 0)
                    }
                }
                done.wrappingAdd(1, ordering: .releasing)
            },
            { // the reader: decisions and picks of contexts 0 and 2 while the writers run
                repeat {
                    if !p.hasInterrupt(context: 0) { missed.wrappingAdd(1, ordering: .relaxed) }
                    if p.claimPick(context: 0) == 0 { missed.wrappingAdd(1, ordering: .relaxed) }
                    if p.hasInterrupt(context: 2) { lies.wrappingAdd(1, ordering: .relaxed) }
                    if p.claim(context: 2) != 0 { context2Claims.wrappingAdd(1, ordering: .relaxed) }
                    reads.wrappingAdd(1, ordering: .relaxed)
                } while done.load(ordering: .acquiring) < writers
            },
        ]
        runThreads(bodies)
        #expect(reads.load(ordering: .relaxed) > 0)
        #expect(missed.load(ordering: .relaxed) == 0)
        #expect(lies.load(ordering: .relaxed) == 0)
        #expect(context2Claims.load(ordering: .relaxed) == 0)
        #expect(p.isPending(40) && p.hasInterrupt(context: 0))
    }
}
