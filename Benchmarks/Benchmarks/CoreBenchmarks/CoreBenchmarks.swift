import Benchmark
import IRQCore

// Benchmark names have no spaces: ordo-one/benchmark 1.38.1 writes threshold files with spaces
// turned into '_' but looks them up with the spaces kept, so names with spaces never match.

// The dispatch core of IRQCore: PLIC claim over 1023 sources, one physical interrupt through
// do_IRQ, and the guest's vPLIC. Each benchmark keeps the state it measures steady: a level
// source whose line stays high is forwarded again by its own complete, so "many pending" stays
// true on every iteration.

/// A PLIC with all 1023 sources level-triggered, enabled for context 0, lines high and pending.
/// `priority(id)` gives each source's priority.
func saturatedPLIC(priority: (Int) -> UInt32) -> PLIC {
    let plic = PLIC(contexts: 1)
    for id in 1..<PLIC.sourceCount {
        plic.setEdgeTriggered(id, false)
        plic.setPriority(id, priority(id))
        plic.setEnabled(id, context: 0, true)
        plic.setLine(id, high: true)
    }
    return plic
}

/// The measured loop of the dispatch benchmarks whose `end` needs no guest EOI path: do_IRQ of
/// one guest-owned interrupt, then the guest's vclaim and vcomplete, so the next iteration
/// injects into an idle vIRQ. Generic, so the PLIC's loop calls its VPLIC directly. Returns the
/// storm injects counted.
func doIRQGuestLoop<G: VirtualInterruptController>(_ table: IRQDescriptorTable, guest: G, _ benchmark: Benchmark) -> Int {
    var storms = 0
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
        let (d, storm) = table.doIRQ(context: 0) { _ in }
        let virq = guest.claim()
        _ = table.guestComplete(domain: 1, virq: virq)
        if storm { storms += 1 }
        blackHole(d.irq)
    }
    benchmark.stopMeasurement()
    return storms
}

/// The measured loop of the chips' claim benchmarks: claim and complete (the PLIC's claim and
/// complete, the GIC's acknowledge and deactivate). Every source's line stays high, so the
/// complete signals it again and each iteration claims a source: none may find nothing.
func claimCompleteLoop<Chip: InterruptChip>(_ chip: Chip, _ benchmark: Benchmark, spuriousClaims: (Chip) -> UInt64) {
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
        let id = chip.claim(context: 0)
        _ = chip.complete(context: 0, id)
        blackHole(id)
    }
    benchmark.stopMeasurement()
    precondition(spuriousClaims(chip) == 0)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .nanoseconds,
        warmupIterations: 3,
        scalingFactor: .mega,
        maxDuration: .seconds(2),
        maxIterations: 30,
        thresholds: [
            .wallClock: .init(relative: [.p50: 50]),
            .throughput: .init(relative: [.p50: 50]),
            .mallocCountTotal: .init(absolute: [.p0: 0, .p50: 0, .p100: 0]),
        ]
    )

    // claim + complete of one source while all 1023 are pending: the pick finds its source at
    // the highest non-empty level, in the first non-empty word (priorities 1...7 mixed).
    Benchmark("PLIC_claim+complete_1023_pending_mixed_priorities") { benchmark in
        claimCompleteLoop(saturatedPLIC { id in UInt32(1 + id % 7) }, benchmark, spuriousClaims: \.spuriousClaims)
    }

    // Once the worst case (all pending sources at priority 1: levels 7...2 walked over all 32
    // words); the per-level summary words now skip the empty levels with one load each.
    Benchmark("PLIC_claim+complete_1023_pending_all_priority_1_worst_case") { benchmark in
        claimCompleteLoop(saturatedPLIC { _ in 1 }, benchmark, spuriousClaims: \.spuriousClaims)
    }

    // One pending source, the last ID: the pick skips 31 empty words through the summary word.
    Benchmark("PLIC_claim+complete_1_pending_ID_1023") { benchmark in
        let plic = PLIC(contexts: 1)
        plic.setPriority(1023, 1)
        plic.setEnabled(1023, context: 0, true)
        plic.setLine(1023, high: true)
        claimCompleteLoop(plic, benchmark, spuriousClaims: \.spuriousClaims)
    }

    // One physical interrupt of a guest-routed level source through do_IRQ (claim, descriptor
    // lookup under its lock, status bits, inject into the vPLIC, the host-end `end`: complete),
    // then the guest's vclaim and vcomplete so the next iteration injects into an idle vIRQ.
    // All 1023 sources are pending, at mixed priorities.
    Benchmark("dispatch_doIRQ_host-end+vclaim+vcomplete_1023_pending") { benchmark in
        let plic = saturatedPLIC { id in UInt32(1 + id % 7) }
        let table = IRQDescriptorTable(plic: plic, strategy: .hostEnd)
        for id in 1..<PLIC.sourceCount { try! table.routeToGuest(irq: id, domain: 1, virq: id) }
        let storms = doIRQGuestLoop(table, guest: table.vplic(1), benchmark)
        precondition(storms == 0 && plic.spuriousClaims == 0)
    }

    // The same under guest-end: do_IRQ leaves the gateway closed; the guest's vcomplete performs
    // the physical complete (the path of the replay's default strategy).
    Benchmark("dispatch_doIRQ_guest-end+vclaim+vcomplete+complete_1023_pending") { benchmark in
        let plic = saturatedPLIC { id in UInt32(1 + id % 7) }
        let table = IRQDescriptorTable(plic: plic, strategy: .guestEnd)
        for id in 1..<PLIC.sourceCount { try! table.routeToGuest(irq: id, domain: 1, virq: id) }
        let vplic = table.vplic(1)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let (d, storm) = table.doIRQ(context: 0) { _ in }
            let virq = vplic.claim()
            let (irq, path) = table.guestComplete(domain: 1, virq: virq)
            if case .trap(let ops) = path { for op in ops { table.perform(op, irq: irq) } }
            blackHole(d.irq)
            blackHole(storm)
        }
        benchmark.stopMeasurement()
        precondition(plic.spuriousClaims == 0 && plic.strayCompletes == 0)
    }

    // A host-owned source: claim, lookup, host handler (empty), complete.
    Benchmark("dispatch_doIRQ_host-owned_1023_pending") { benchmark in
        let plic = saturatedPLIC { id in UInt32(1 + id % 7) }
        let table = IRQDescriptorTable(plic: plic, strategy: .guestEnd)
        for id in 1..<PLIC.sourceCount { try! table.requestHostIRQ(id) }
        var handled = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let (d, _) = table.doIRQ(context: 0) { irq in handled &+= irq }
            blackHole(d.irq)
        }
        benchmark.stopMeasurement()
        blackHole(handled)
    }

    // The AIA (docs/model.md Part A): 1023 level sources on an APLIC in MSI mode, lines high. One
    // physical interrupt through do_IRQ under host-end: the claim from the hart's interrupt file
    // (topei over 1023 pending identities), the inject, the re-trigger (setipnum: the line is
    // high, so the APLIC sends the MSI back into the file); then the guest's vclaim and vcomplete.
    Benchmark("AIA_MSI_doIRQ_host-end+vclaim+vcomplete_1023_pending") { benchmark in
        let p = AIAPlatform(mode: .msi, harts: 1, guestFiles: 1, guestHart: 0)
        let table = IRQDescriptorTable(chip: p.aplic, strategy: .hostEnd, guests: [VPLIC()])
        for id in 1..<APLIC.sourceCount {
            p.configure(id, edge: false, priority: UInt32(1 + id % 7), toGuestFile: false)
            try! table.routeToGuest(irq: id, domain: 1, virq: id)
            p.aplic.setLine(id, high: true)
        }
        let storms = doIRQGuestLoop(table, guest: table.guest(1), benchmark)
        precondition(storms == 0 && p.aplic.spuriousClaims == 0)
    }

    // The same sources on an APLIC in direct mode: claimi never clears a high level source, so
    // every claim picks again among 1023 pending sources of mixed IPRIO.
    Benchmark("AIA_direct_claimi_1023_pending") { benchmark in
        let a = APLIC(mode: .direct, harts: 1)
        for id in 1..<APLIC.sourceCount {
            a.setSourceMode(id, .level1)
            a.setPriority(id, UInt32(1 + id % 7))
            a.enable(id, hart: 0)
            a.setLine(id, high: true)
        }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(a.claimi(hart: 0)) }
        benchmark.stopMeasurement()
        precondition(a.spuriousClaims == 0)
    }

    // aia-guest-file: no dispatch. The guest claims from its own file, and its EOI re-triggers
    // the source (its line high), whose MSI lands in the guest file again.
    Benchmark("AIA_guest-file_claim+EOI_retrigger_1023_pending") { benchmark in
        let p = AIAPlatform(mode: .msi, harts: 1, guestFiles: 1, guestHart: 0)
        let g = p.guestFile!
        let table = IRQDescriptorTable(chip: p.aplic, strategy: .aiaGuestFile, guests: [g])
        for id in 1..<APLIC.sourceCount {
            p.configure(id, edge: false, priority: 1, toGuestFile: true)
            try! table.routeToGuest(irq: id, domain: 1, virq: id)
            p.aplic.setLine(id, high: true)
        }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let virq = g.claim()
            let (irq, path) = table.guestComplete(domain: 1, virq: virq)
            if case .trap(let ops) = path { for op in ops { table.perform(op, irq: irq) } }
            blackHole(virq)
        }
        benchmark.stopMeasurement()
        precondition(p.delivery.msisMerged == 0)
    }

    // GIC (docs/model.md Part G): acknowledge and deactivate with all 1023 level lines high, so
    // each deactivate re-signals its source and every acknowledge finds one.
    Benchmark("GIC_acknowledge+deactivate_1023_pending_mixed_priorities") { benchmark in
        let gic = GIC(contexts: 1)
        for id in 1..<GIC.sourceCount {
            gic.setPriority(id, UInt32(1 + id % 7))
            gic.unmask(id)
            gic.setEnabled(id, context: 0, true)
            gic.setLine(id, high: true)
        }
        claimCompleteLoop(gic, benchmark, spuriousClaims: \.spuriousClaims)
    }

    // One GIC hw-eoi interrupt of a guest source through do_IRQ (acknowledge, descriptor lookup,
    // list-register inject, EOIR), then the guest's untrapped acknowledge and EOI, whose HW bit
    // deactivates. 4 list registers, 1023 lines high: injects overflow and evict into the queue,
    // and a maintenance handler refills whenever the maintenance line rises.
    Benchmark("GIC_doIRQ_hw-eoi+guest_IAR+EOIR_list_register_overflow_and_refill") { benchmark in
        let gic = GIC(contexts: 1)
        let vcpu = GICVirtualCPUInterface(listRegisters: 4, policy: .priority, refill: .underflow,
                                          mode: ListRegisterMode(hw: true, eoi: false))
        let table = IRQDescriptorTable(gic: gic, strategy: .hwEOI, vcpu: vcpu, vcpuContext: 0)
        for id in 1..<GIC.sourceCount {
            gic.setPriority(id, UInt32(1 + id % 7))
            try! table.routeToGuest(irq: id, domain: 1, virq: id)
            gic.setLine(id, high: true)
        }
        var refills = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let id = gic.claim(context: 0)
            if id == GIC.maintenanceInterrupt {
                while vcpu.refill() != 0 { refills &+= 1 }
                gic.deactivateMaintenance(context: 0)
            } else if id != 0 {
                let d = table.dispatch(claimed: id, context: 0)
                if case .guest(let domain, let virq) = d.target { blackHole(table.inject(domain: domain, virq: virq)) }
                table.finishHandler(d)
                for op in d.end { table.perform(op, irq: id) }
            }
            let virq = vcpu.acknowledge()
            if virq != 0 {
                let (irq, path) = table.guestComplete(domain: 1, virq: virq)
                for op in path.operations { table.perform(op, irq: irq) }
            }
        }
        benchmark.stopMeasurement()
        blackHole(refills)
    }

    // vPLIC alone: inject, vclaim (priority pick over 64 pending vIRQs), vcomplete.
    Benchmark("vPLIC_inject+claim+complete_64_pending") { benchmark in
        let vplic = VPLIC()
        for v in 1...1000 { vplic.setPriority(v, UInt32(1 + v % 7)) }
        for v in stride(from: 15, through: 1000, by: 15) { _ = vplic.inject(v) }
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations {
            let v = 15 * (1 + i % 66)
            blackHole(vplic.inject(v))
            let c = vplic.claim()
            vplic.complete(c)
            blackHole(c)
        }
        benchmark.stopMeasurement()
    }
}
