import IRQCore
import IRQReplay
import IRQTrace
import Testing

/// docs/model.md G.9 and G.12: what the GIC accepts, what it refuses (one clear line naming the
/// combination), and the PLIC left exactly as it was.
struct GICScenarioTests {
    static func gic(_ params: [(String, String)] = []) throws -> Scenario {
        var s = Scenario()
        try s.set("irqchip", "gicv2")
        for (k, v) in params { try s.set(k, v) }
        return s
    }

    static func message(_ body: () throws -> Void) -> String {
        do { try body(); return "" } catch { return String(describing: error) }
    }

    @Test func gicRunsItsSixStrategiesAndRefusesTheAIAOnes() throws {
        let s = try Self.gic()
        #expect(s.applicableStrategies == [.hostEnd, .guestEnd, .maskUnmask, .hwEOI, .hostEndRatelimit, .direct])
        for strategy in [EndStrategy.hostEndNoretrigger, .aiaGuestFile] {
            let text = Self.message { try s.check(strategy: strategy) }
            #expect(text.contains("strategy \(strategy.rawValue) cannot run on irqchip=gicv2"))
            #expect(throws: ScenarioError.self) { try ReplayEngine(scenario: s, strategy: strategy) }
        }
    }

    @Test func directIsAGICStrategy() {
        #expect(Self.message { try Scenario().check(strategy: .direct) }.contains("cannot run on irqchip=plic"))
    }

    @Test func selectorsAndTheirDefaults() throws {
        var s = try Self.gic()
        #expect(s.lrPolicy == .priority && s.lrRefill == .underflow && s.listRegisters == 4 && s.iarLoop == 0)
        try s.set("lr_policy", "fifo")
        try s.set("lr_refill", "no-pending")
        #expect(s.canonicalDescription == "irqchip=gicv2;lr_policy=fifo;lr_refill=no-pending")
        #expect(throws: ScenarioError.self) { try s.set("lr_policy", "lifo") }
        #expect(throws: ScenarioError.self) { try s.set("lr_refill", "overflow") }
    }

    @Test func listRegistersAre2To64AndIARLoopIsAFlag() throws {
        for (name, value) in [("list_registers", "1"), ("list_registers", "65"), ("iar_loop", "2")] {
            let s = try Self.gic([(name, value)])
            let text = Self.message { try s.validate() }
            #expect(text.contains(name), "\(name)=\(value): \(text)")
        }
        try Self.gic([("list_registers", "2")]).validate()
        try Self.gic([("list_registers", "64"), ("iar_loop", "1")]).validate()
    }

    @Test func directRefusesAVCPUSchedule() throws {
        let s = try Self.gic([("vcpu_period", "5000"), ("vcpu_budget", "2500")])
        #expect(Self.message { try s.check(strategy: .direct) }.contains("must then always be runnable"))
        #expect(!s.applicableStrategies.contains(.direct))
        // A budget of a whole period is always runnable.
        try Self.gic([("vcpu_period", "5000"), ("vcpu_budget", "5000")]).check(strategy: .direct)
    }

    @Test func directRefusesGuestSourcesOnOtherHartsAndHostSourcesOnItsOwn() throws {
        let s = try Self.gic([("harts", "2")])
        var away = SourceSettings()
        away[1] = SourceSetting(targetHart: 1)
        #expect(Self.message { try s.check(strategy: .direct, sources: away) }.contains("source 1 targets hart 1"))
        #expect(!s.applicableStrategies(sources: away).contains(.direct))
        var host = SourceSettings()
        host[2] = SourceSetting(owner: .host)
        #expect(Self.message { try s.check(strategy: .direct, sources: host) }.contains("host-owned source 2"))
        var fine = SourceSettings()
        fine[2] = SourceSetting(owner: .host, targetHart: 1)
        try s.check(strategy: .direct, sources: fine)
    }

    @Test func directRefusesADefaultSourceOffTheGuestsHartAtItsFirstRecord() throws {
        let s = try Self.gic([("harts", "2"), ("guest_hart", "1")])
        var trace = ArrayTraceStream([TraceEvent(time: 0, source: 3, kind: .level, count: 1)])
        let engine = try ReplayEngine(scenario: s, strategy: .direct)
        #expect(Self.message { _ = try engine.run(&trace) }.contains("source 3 targets hart 0"))
    }

    @Test func hostEndWithAnIARLoopOnAHighGuestLineIsALivelockError() throws {
        let s = try Self.gic([("iar_loop", "1")])
        var trace = ArrayTraceStream([TraceEvent(time: 0, source: 1, kind: .level, count: 1)])
        let text = Self.message { _ = try ReplayEngine(scenario: s, strategy: .hostEnd).run(&trace) }
        #expect(text.contains("livelock") && text.contains("iar_loop"), "\(text)")
        // The rate limiter masks the line after its count, so that loop ends.
        var t2 = ArrayTraceStream([TraceEvent(time: 0, source: 1, kind: .level, count: 1)])
        let limited = try Self.gic([("iar_loop", "1"), ("ratelimit_count", "5")])
        let m = try ReplayEngine(scenario: limited, strategy: .hostEndRatelimit).run(&t2)
        #expect(m.physicalIRQs >= 6 && m.guestInterrupts >= 1)
    }

    @Test func gicCountsAppearOnlyOnTheGIC() throws {
        let events = [TraceEvent(time: 0, source: 1, kind: .level, count: 1)]
        var a = ArrayTraceStream(events)
        let plic = try ReplayEngine(scenario: Scenario(), strategy: .guestEnd).run(&a)
        #expect(plic.rows.map(\.metric) == ReplayMetrics.metricNames, "the PLIC's rows are docs/model.md §9's, nothing more")
        var b = ArrayTraceStream(events)
        let gic = try ReplayEngine(scenario: Self.gic(), strategy: .guestEnd).run(&b)
        #expect(gic.rows.map(\.metric) == ReplayMetrics.metricNames + ["maintenance_irqs", "lr_overflows", "lr_evictions", "lr_refills"])
    }

    /// The PLIC's results, pinned: every row of every strategy for the NIC-burst vector, as the
    /// engine produced them before the GIC existed (main at bd37ae8, `irqbench run`), joined
    /// "strategy,metric,value" by lines.
    @Test func plicResultsAreUnchanged() throws {
        let dir = VectorTests.vectorsURL.appendingPathComponent("11-nic-bursts")
        let scenario = try loadParams(dir.appendingPathComponent("params.txt"))
        var lines: [String] = []
        for strategy in EndStrategy.plicStrategies {
            var trace = try TraceInput.open(path: dir.appendingPathComponent("trace.csv").path)
            let m = try ReplayEngine(scenario: scenario, strategy: strategy).run(&trace)
            lines += m.rows.map { "\(strategy.rawValue),\($0.metric),\($0.value)" }
        }
        let text = lines.joined(separator: "\n") + "\n"
        #expect(try FileDigest.sha256Hex(text: text) == Self.plicPin)
    }

    static let plicPin = "465add7eb8bc77728b615a5389e16a72f07d9110fa3c135a02ffdec5e3002e1f"
}
