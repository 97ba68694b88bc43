import Foundation
import Synchronization
@testable import IRQCore

/// The claim-exclusivity race every controller family's stress tests run: one device thread
/// raises `edges` edges of one source while `claimers` threads claim it; between a claim and its
/// complete nobody else may hold the source. Each family gives its own claim, complete and rest
/// test (the PLIC's gateway, the GIC's active state...). Threads only count; the caller checks.
struct ExclusiveClaimRace: Sendable {
    var claimers: Int
    var edges: Int
    var edge: @Sendable () -> Void
    /// Claims the source on claimer `c`'s context; true when it won the source.
    var claim: @Sendable (_ c: Int) -> Bool
    var complete: @Sendable (_ c: Int) -> Void
    /// True when nothing is left to claim once the device has finished.
    var atRest: @Sendable () -> Bool

    /// Winning claims, and claims that found another claimer still holding the source.
    func run() -> (wins: Int, overlaps: Int) {
        let wins = Atomic<Int>(0), holder = Atomic<Int>(0), overlaps = Atomic<Int>(0)
        let deviceDone = Atomic<Bool>(false)
        // Every loop ends: at rest after the device, or at this deadline.
        let deadline = DispatchTime.now().uptimeNanoseconds + 60_000_000_000
        let race = self
        var bodies: [@Sendable () -> Void] = [{
            for _ in 0..<race.edges { race.edge() }
            deviceDone.store(true, ordering: .releasing)
        }]
        for c in 0..<claimers {
            bodies.append {
                while true {
                    if race.claim(c) {
                        if !holder.compareExchange(expected: 0, desired: c + 1, ordering: .acquiringAndReleasing).exchanged {
                            overlaps.wrappingAdd(1, ordering: .relaxed)
                        }
                        wins.wrappingAdd(1, ordering: .relaxed)
                        holder.store(0, ordering: .releasing)
                        race.complete(c)
                    } else if deviceDone.load(ordering: .acquiring) && race.atRest() {
                        return
                    } else if DispatchTime.now().uptimeNanoseconds > deadline {
                        return
                    }
                }
            }
        }
        runThreads(bodies)
        return (wins.load(ordering: .relaxed), overlaps.load(ordering: .relaxed))
    }
}
