import IRQCore
@testable import IRQReplay
import IRQTrace
import Testing

/// The per-request timeline (docs/timeline.md): each request's times in worked examples derived
/// by hand from docs/model.md (§10, A.11, G.10, and the rules for cases those do not list), on the
/// PLIC, the AIA and the GIC; conservation of requests; agreement with the §9 distributions; the
/// N worst requests against a full sort.
struct TimelineTests {
    static func level(_ t: UInt64, _ s: UInt16 = 1) -> TraceEvent { TraceEvent(time: t, source: s, kind: .level, count: 1) }

    static func scenario(_ params: [String: String]) throws -> Scenario {
        var s = Scenario()
        for (k, v) in params.sorted(by: { $0.key < $1.key }) { try s.set(k, v) }
        return s
    }

    static func replay(_ strategy: EndStrategy, _ events: [TraceEvent], _ params: [String: String] = [:],
                       sources: SourceSettings = .init(), shortcuts: Bool = true,
                       skipped: UnsafeMutablePointer<UInt64>? = nil) throws -> (ReplayMetrics, TimelineRows) {
        var options = ReplayOptions()
        options.shortcuts = shortcuts
        let e = try ReplayEngine(scenario: try scenario(params), sources: sources, strategy: strategy, options: options)
        var trace = ArrayTraceStream(events)
        let rows = TimelineRows()
        let m = try e.run(&trace, timeline: rows)
        skipped?.pointee = e.machine.storm.skippedCycles
        return (m, rows)
    }

    /// A request row as (record, hart, arrival, claim, guest claim, start, done, n).
    struct Times: Equatable, CustomStringConvertible {
        var record: UInt64, hart: Int?, arrival: UInt64, claim: UInt64?, guestClaim: UInt64?, start: UInt64?, done: UInt64?, n: UInt64?
        init(_ record: UInt64, hart: Int?, _ arrival: UInt64, claim: UInt64?, guest: UInt64?, start: UInt64?, done: UInt64?, n: UInt64?) {
            (self.record, self.hart, self.arrival, self.claim, self.guestClaim, self.start, self.done, self.n) =
                (record, hart, arrival, claim, guest, start, done, n)
        }
        init(_ r: TimelineRow) {
            self.init(r.record!, hart: r.hart, r.arrival!, claim: r.claim, guest: r.guestClaim, start: r.start, done: r.done, n: r.n)
        }
        var description: String {
            "#\(record) hart \(hart.map(String.init) ?? "-") \(arrival) \(claim.map(String.init) ?? "-") \(guestClaim.map(String.init) ?? "-") \(start.map(String.init) ?? "-") \(done.map(String.init) ?? "-") n \(n.map(String.init) ?? "-")"
        }
    }

    static func requests(_ rows: TimelineRows) -> [Times] { rows.requests.map(Times.init) }

    // MARK: PLIC (docs/model.md §10)

    @Test("§10.1 guest-end: claim 250, vclaim 850, service 1000-3200") func plicGuestEnd() throws {
        let (_, rows) = try Self.replay(.guestEnd, [Self.level(0)])
        #expect(Self.requests(rows) == [Times(1, hart: 0, 0, claim: 250, guest: 850, start: 1000, done: 3200, n: 1)])
        #expect(rows.serviceStarts == [ServiceStart(time: 1000, source: 1, units: 1)])
        #expect(rows.rows.first { $0.kind == .serviceStart }?.position == 0)
    }

    @Test("§10.2 host-end: the first claim, the second handler finds n = 0") func plicHostEnd() throws {
        let (_, rows) = try Self.replay(.hostEnd, [Self.level(0)])
        #expect(Self.requests(rows) == [Times(1, hart: 0, 0, claim: 250, guest: 2050, start: 2200, done: 28050, n: 1)])
        // The second handler: virq_entry 29050-29150, vclaim trap 29150-29600, service from 29600.
        #expect(rows.serviceStarts == [ServiceStart(time: 2200, source: 1, units: 1), ServiceStart(time: 29600, source: 1, units: 0)])
        #expect(rows.rows.filter { $0.kind == .serviceStart }.map(\.position) == [0, 1])
    }

    /// A request that arrives after the vclaim effect (850) and before the service starts (1000)
    /// is taken by that service (§12 choice 2): its guest claim is the service start, and no claim
    /// of its source falls between its arrival and that start.
    @Test func plicRequestRidingOnAnEarlierClaim() throws {
        let (m, rows) = try Self.replay(.guestEnd, [Self.level(0), Self.level(900)])
        // One service with n = 2: 2000 + 2 x 200 ns, 1000-3400.
        #expect(Self.requests(rows) == [Times(1, hart: 0, 0, claim: 250, guest: 850, start: 1000, done: 3400, n: 2),
                                        Times(2, hart: nil, 900, claim: nil, guest: 1000, start: 1000, done: 3400, n: 2)])
        #expect(m.physicalIRQs == 1)
    }

    /// host-end, a second request at 10000 during the first handler's storm (§10.2): the storm's
    /// claims fall at 2500 + 600k, so its claim is the first at or after 10000, 10300 (k = 13),
    /// and the steady storm is fast-forwarded over it. The first service ends at 28050 leaving one
    /// unit, so the line stays high: dispatch 47 (28050-28600) forwards it again; the vcomplete
    /// trap 28600-29050; virq_entry from 29050, paused by dispatch 48 (29100-29650), resumed
    /// 29650-29700; dispatch 49 29700-30250; the vclaim trap 30250-30700 (effect 30550); the
    /// service 30700 + 25850 = 56550, cut into slices by the storm exactly as the first one.
    @Test(arguments: [true, false]) func plicRequestDuringAStorm(shortcuts: Bool) throws {
        var skipped: UInt64 = 0
        let (_, rows) = try Self.replay(.hostEnd, [Self.level(0), Self.level(10_000)], shortcuts: shortcuts, skipped: &skipped)
        #expect((skipped > 0) == shortcuts, "the storm around the second record is fast-forwarded")
        #expect(Self.requests(rows) == [Times(1, hart: 0, 0, claim: 250, guest: 2050, start: 2200, done: 28050, n: 1),
                                        Times(2, hart: 0, 10_000, claim: 10_300, guest: 30_550, start: 30_700, done: 56_550, n: 1)])
    }

    /// A host-owned source on hart 1 and a guest-owned one whose dispatch runs on hart 1 (§6: the
    /// inject reaches hart 0 `ipi` = 2000 ns later). Host: entry 0-150, claim -250, host_isr
    /// 250-750. Guest (guest-end): claim on hart 1 at 250, inject effect 2300, virq_entry
    /// 2300-2400, vclaim trap 2400-2850 (effect 2700), service 2850-5050.
    @Test func plicHartOfTheClaim() throws {
        var src = SourceSettings()
        src[1] = SourceSetting(targetHart: 1)
        src[2] = SourceSetting(owner: .host, targetHart: 1)
        let (_, host) = try Self.replay(.guestEnd, [Self.level(0, 2)], ["harts": "2"], sources: src)
        #expect(Self.requests(host) == [Times(1, hart: 1, 0, claim: 250, guest: nil, start: 250, done: 750, n: 1)])
        #expect(host.requests.first?.hostOwned == true && host.serviceStarts.isEmpty)
        let (_, guest) = try Self.replay(.guestEnd, [Self.level(0, 1)], ["harts": "2"], sources: src)
        #expect(Self.requests(guest) == [Times(1, hart: 1, 0, claim: 250, guest: 2700, start: 2850, done: 5050, n: 1)])
        #expect(guest.rows.first { $0.kind == .serviceStart }?.hart == 0, "the service starts on the vCPU's hart")
    }

    // MARK: AIA (docs/model.md A.11)

    @Test("M-4: aplic-msi guest-end, the second request re-sent by the guest's setipnum") func aiaGuestEnd() throws {
        let (_, rows) = try Self.replay(.guestEnd, [Self.level(0), Self.level(1000)], ["irqchip": "aplic-msi"])
        #expect(Self.requests(rows) == [Times(1, hart: 0, 0, claim: 170, guest: 770, start: 920, done: 3120, n: 1),
                                        Times(2, hart: 0, 1000, claim: 3890, guest: 4490, start: 4640, done: 6840, n: 1)])
    }

    /// M-5: host-end-noretrigger never signals the line again: the second request is never served
    /// and is written with every time empty, not dropped.
    @Test("M-5: the unserved request keeps its row") func aiaUnservedRequest() throws {
        let (m, rows) = try Self.replay(.hostEndNoretrigger, [Self.level(0), Self.level(1000)], ["irqchip": "aplic-msi"])
        #expect(m.aia?.unservedRequests == 1)
        #expect(Self.requests(rows) == [Times(1, hart: 0, 0, claim: 170, guest: 770, start: 920, done: 3120, n: 1),
                                        Times(2, hart: nil, 1000, claim: nil, guest: nil, start: nil, done: nil, n: nil)])
    }

    @Test("G-1: aia-guest-file, the guest's vtopei is the physical claim") func aiaGuestFile() throws {
        let (_, rows) = try Self.replay(.aiaGuestFile, [Self.level(0)], ["irqchip": "aplic-msi", "guest_irqchip": "vaplic-msi"])
        #expect(Self.requests(rows) == [Times(1, hart: 0, 0, claim: 120, guest: 120, start: 120, done: 2320, n: 1)])
    }

    // MARK: GIC (docs/model.md G.10)

    @Test("G.10: two level requests under hw-eoi") func gicHWEOI() throws {
        let (_, rows) = try Self.replay(.hwEOI, [Self.level(0), Self.level(1000)], ["irqchip": "gicv2"])
        // Dispatch 0-500 (acknowledge 250), virq_entry 500-600, guest acknowledge 600-615, service
        // 615-2815; the EOI at 2830 deactivates into the high line: dispatch 2830-3330 (acknowledge
        // 3080), virq_entry 3330-3430, acknowledge -3445, service 3445-5645.
        #expect(Self.requests(rows) == [Times(1, hart: 0, 0, claim: 250, guest: 615, start: 615, done: 2815, n: 1),
                                        Times(2, hart: 0, 1000, claim: 3080, guest: 3445, start: 3445, done: 5645, n: 1)])
    }

    @Test("G.10: direct, the guest's own acknowledge is the claim") func gicDirect() throws {
        let (_, rows) = try Self.replay(.direct, [Self.level(0)], ["irqchip": "gicv2"])
        #expect(Self.requests(rows) == [Times(1, hart: 0, 0, claim: 115, guest: 115, start: 115, done: 2315, n: 1)])
    }

    @Test("G.10: the 16-request burst's service starts are positions 0-15") func gicBurstPositions() throws {
        let (_, rows) = try Self.replay(.hwEOI, (1...16).map { Self.level(0, UInt16($0)) }, ["irqchip": "gicv2"])
        let starts = rows.rows.filter { $0.kind == .serviceStart }
        #expect(starts.map(\.position) == (0..<16).map { UInt64($0) })
        #expect(starts.map(\.start!) == [1615, 10445, 12775, 15855, 18185, 20515, 23595, 25925, 28255, 31335, 33665,
                                          35995, 39075, 41405, 43735, 46065])
        #expect(starts.map(\.source) == Array(1...16))
        // Each source's one request is done at its service's end (service 2200 ns, n = 1), except
        // source 1's, whose service was cut by the dispatch train (10315).
        let done = Dictionary(uniqueKeysWithValues: rows.requests.map { ($0.source, $0.done!) })
        #expect(done[1] == 10315 && done[2] == 10445 + 2200 && done[16] == 46065 + 2200)
    }

    // MARK: Properties over random workloads, every family

    typealias Workload = (events: [TraceEvent], sources: SourceSettings, scenario: Scenario)

    static func workloads(seed: UInt64) throws -> [(String, Workload)] {
        let plic = try PropertyTests.workload(seed: seed, levelRecords: 150, edgeRecords: 80)
        var aia = plic
        try aia.scenario.set("irqchip", "aplic-msi")
        var aiaDirect = plic
        try aiaDirect.scenario.set("irqchip", "aplic-direct")
        let gic = try GICPropertyTests.workload(seed: seed, policy: "priority", refill: "underflow", iarLoop: false)
        return [("plic", plic), ("aplic-msi", aia), ("aplic-direct", aiaDirect), ("gicv2", gic)]
    }

    static func run(_ w: Workload, _ strategy: EndStrategy, sink: any TimelineSink, shortcuts: Bool = true) throws -> ReplayMetrics {
        var options = ReplayOptions()
        options.shortcuts = shortcuts
        var t = ArrayTraceStream(w.events)
        return try ReplayEngine(scenario: w.scenario, sources: w.sources, strategy: strategy, options: options).run(&t, timeline: sink)
    }

    /// One request row per record, each record once; a row without `done` for exactly the requests
    /// no handler consumed; every latency of the rows is the §9 distribution's sample (count, sum,
    /// max equal); service starts count the handlers; the same rows with the shortcuts off; and the
    /// metrics are those of a replay without a timeline.
    @Test func conservationAndAgreement() throws {
        for (name, w) in try Self.workloads(seed: 1) {
            for strategy in w.scenario.applicableStrategies(sources: w.sources) {
                let label = "\(name) \(strategy.rawValue)"
                let rows = TimelineRows()
                let m = try Self.run(w, strategy, sink: rows)
                let requests = rows.requests
                #expect(UInt64(requests.count) == m.requests, "\(label): rows of kind request = requests")
                #expect(requests.map(\.record!).sorted() == (1...m.requests).map { $0 }, "\(label): each record once")
                #expect(UInt64(requests.filter { $0.done == nil }.count) == m.requests - m.consumedRequests, "\(label)")
                if let unserved = m.aia?.unservedRequests {
                    #expect(UInt64(requests.filter { $0.done == nil }.count) == unserved, "\(label)")
                }
                func agrees(_ d: Distribution, _ samples: [UInt64], _ what: String) {
                    #expect(d.count == UInt64(samples.count) && d.sum == samples.reduce(UInt128(0)) { $0 + UInt128($1) }
                            && (samples.max() ?? 0) == (d.count > 0 ? d.max : 0), "\(label): \(what)")
                }
                agrees(m.requestToDone, requests.compactMap { r in r.done.map { $0 - r.arrival! } }, "request_to_done")
                agrees(m.requestToGuest, requests.compactMap { r in r.guestClaim.map { $0 - r.arrival! } }, "request_to_guest")
                agrees(m.hostLatency, requests.filter(\.hostOwned).compactMap { r in r.start.map { _ in r.claim! - r.arrival! } },
                       "host_latency")
                for r in requests {
                    #expect(r.claim.map { $0 >= r.arrival! } ?? true, "\(label): claim before arrival")
                    #expect(r.claim.map { c in r.start.map { c <= $0 } ?? true } ?? true, "\(label): claim after the handler's start")
                    #expect((r.hart == nil) == (r.claim == nil), "\(label)")
                }
                let starts = rows.rows.filter { $0.kind == .serviceStart }
                #expect(starts.map(\.position!) == (0..<UInt64(starts.count)).map { $0 }, "\(label)")
                #expect(UInt64(starts.filter { $0.n == 0 }.count) == m.guestSpurious, "\(label)")

                let slow = TimelineRows()
                _ = try Self.run(w, strategy, sink: slow, shortcuts: false)
                #expect(slow.rows == rows.rows, "\(label): the shortcuts change no row")
                var t = ArrayTraceStream(w.events)
                let plain = try ReplayEngine(scenario: w.scenario, sources: w.sources, strategy: strategy).run(&t)
                #expect(plain.rows.map(\.value) == m.rows.map(\.value), "\(label): the timeline changes no metric")
            }
        }
    }

    /// `WorstRequests` keeps what a full sort keeps: the N largest keys, earlier records first at
    /// equal keys, requests never done ranked worst; and the worst by X is X's maximum.
    @Test func worstMatchesAFullSort() throws {
        for (name, w) in try Self.workloads(seed: 2) {
            for strategy in w.scenario.applicableStrategies(sources: w.sources) {
                let all = TimelineRows()
                let m = try Self.run(w, strategy, sink: all)
                // Every (latency, N) from one replay.
                let sizes = [1, 7, 1_000_000]
                let worst = TimelineLatency.allCases.flatMap { l in sizes.map { WorstRequests(limit: $0, by: l) } }
                _ = try Self.run(w, strategy, sink: Tee(worst))
                for latency in TimelineLatency.allCases {
                    let ranked = all.requests.compactMap { r in latency.key(r).map { (key: $0, row: r) } }
                        .sorted { $0.key != $1.key ? $0.key > $1.key : $0.row.record! < $1.row.record! }
                    for kept in worst where kept.latency == latency {
                        #expect(kept.rows == ranked.prefix(kept.limit).map(\.row),
                                "\(name) \(strategy.rawValue) \(latency.rawValue) \(kept.limit)")
                    }
                    let d = [TimelineLatency.requestToDone: m.requestToDone, .requestToGuest: m.requestToGuest,
                             .hostLatency: m.hostLatency][latency]!
                    if let top = ranked.first, top.key != .max {
                        #expect(top.key == d.max, "\(name) \(strategy.rawValue): the worst \(latency.rawValue) is its max")
                    }
                }
            }
        }
    }
}

/// One replay's rows to several sinks.
final class Tee: TimelineSink {
    let sinks: [any TimelineSink]
    init(_ sinks: [any TimelineSink]) { self.sinks = sinks }
    func add(_ row: TimelineRow) { for s in sinks { s.add(row) } }
}
