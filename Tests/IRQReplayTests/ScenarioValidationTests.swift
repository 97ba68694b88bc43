import IRQCore
import IRQReplay
import IRQTrace
import Foundation
import Testing

struct ScenarioValidationTests {
    @Test func unknownParameterIsRejected() {
        var s = Scenario()
        #expect(throws: ScenarioError.unknownParameter("servise")) { try s.set("servise", "1") }
        #expect(throws: (any Error).self) { try s.set("service", "-1") }
        #expect(throws: (any Error).self) { try s.set("service", "1.5") }
    }

    @Test func starvationGuardsOfSection11() throws {
        var s = Scenario()
        try s.set("guest_min_run", "0")
        #expect(throws: (any Error).self) { try s.validate() }
        s = Scenario()
        try s.set("trap_entry", "0"); try s.set("trap_exit", "0")
        #expect(throws: (any Error).self) { try s.validate() }
        try s.set("trap_exit", "1")
        try s.validate()
    }

    @Test func vcpuScheduleNeedsBothValues() throws {
        var s = Scenario()
        try s.set("vcpu_period", "1000")
        #expect(throws: (any Error).self) { try s.validate() }
        try s.set("vcpu_budget", "0")
        #expect(throws: (any Error).self) { try s.validate() }
        try s.set("vcpu_budget", "2000")
        try s.validate()
    }

    @Test func guestHartMustExist() throws {
        var s = Scenario()
        try s.set("guest_hart", "1")
        #expect(throws: (any Error).self) { try s.validate() }
    }

    @Test func everyParameterNameOfTheModelIsKnown() throws {
        let names = ["harts", "guest_hart", "edge_queue", "trap_entry", "trap_exit", "guest_min_run", "vmmio",
                     "claim_mmio", "complete_mmio", "mask_mmio", "unmask_mmio", "host_isr", "inject", "ipi",
                     "virq_entry", "service", "per_unit", "hw_eoi", "ratelimit_window", "ratelimit_count",
                     "ratelimit_off", "vcpu_period", "vcpu_budget",
                     // docs/model.md Part A, A.10
                     "topei_claim", "vtopei", "msi_latency", "guest_files", "sgei_when_descheduled", "sgei_handler"]
        // docs/model.md G.9 (iar_loop takes 0 or 1).
        let gicNames = ["eoir_write", "dir_write", "guest_iar", "guest_eoir", "list_registers", "maint_handler",
                        "lr_overflow_cost", "refill_scan"]
        var s = Scenario()
        for n in names + gicNames { try s.set(n, "7") }
        try s.set("iar_loop", "1")
        // Every integer parameter of the model, and nothing else that takes a number.
        #expect(Set(Scenario.parameterNames).subtracting(Scenario.selectors.map(\.name))
                    == Set(names + gicNames + ["iar_loop"]))
    }

    @Test func selectorsTakeOnlyTheirNames() throws {
        var s = Scenario()
        try s.set("irqchip", "plic")
        try s.set("guest_irqchip", "vplic")
        #expect(s == Scenario(), "the defaults")
        #expect(throws: ScenarioError.self) { try s.set("irqchip", "7") }
        #expect(throws: ScenarioError.self) { try s.set("guest_irqchip", "nope") }
        #expect(s.canonicalDescription == "", "default selectors are not provenance")
    }

    @Test func strategiesOfOtherFamiliesAreRejectedOnThePLIC() throws {
        let s = Scenario()
        #expect(s.applicableStrategies == EndStrategy.plicStrategies)
        for strategy in [EndStrategy.hostEndNoretrigger, .aiaGuestFile, .direct] {
            #expect(throws: ScenarioError.self) { try s.check(strategy: strategy) }
            #expect(throws: ScenarioError.self) { try ReplayEngine(scenario: s, strategy: strategy) }
        }
    }

    @Test func canonicalDescriptionListsOnlyChanges() throws {
        var s = Scenario()
        #expect(s.canonicalDescription == "")
        try s.set("service", "3000"); try s.set("harts", "2")
        #expect(s.canonicalDescription == "harts=2;service=3000")
    }

    @Test func sourceWithBothKindsIsAnError() throws {
        var trace = ArrayTraceStream([TraceEvent(time: 0, source: 3, kind: .level, count: 1),
                                      TraceEvent(time: 5, source: 3, kind: .edge, count: 1)])
        let e = try ReplayEngine(scenario: Scenario(), strategy: .guestEnd)
        #expect(throws: ReplayError.self) { try e.run(&trace) }
    }

    /// The record feed reads a stream ahead (in runs, for native traces); a stream out of order
    /// still fails at the record that goes back, named, and a replay error at an earlier record
    /// still comes first.
    @Test func streamOutOfOrderFailsAtItsRecord() throws {
        func event(_ t: UInt64, _ s: UInt16, _ k: RequestKind) -> TraceEvent { TraceEvent(time: t, source: s, kind: k, count: 1) }
        let e = try ReplayEngine(scenario: Scenario(), strategy: .guestEnd)
        var backwards = ArrayTraceStream([event(0, 1, .level), event(10_000, 1, .level), event(5_000, 1, .level)])
        #expect(throws: ReplayError("trace record 3 goes back in time (5000 < 10000): the trace stream must be sorted")) {
            try e.run(&backwards)
        }
        var bothFirst = ArrayTraceStream([event(0, 3, .level), event(5, 3, .edge), event(10, 1, .level), event(7, 1, .level)])
        #expect(throws: ReplayError("trace record 2: source 3 has both level and edge records")) {
            try ReplayEngine(scenario: Scenario(), strategy: .guestEnd).run(&bothFirst)
        }
    }

    @Test func settingsTriggerMustAgreeWithTheTrace() throws {
        var src = SourceSettings()
        src[3] = SourceSetting(trigger: .edge)
        var trace = ArrayTraceStream([TraceEvent(time: 0, source: 3, kind: .level, count: 1)])
        let e = try ReplayEngine(scenario: Scenario(), sources: src, strategy: .guestEnd)
        #expect(throws: ReplayError.self) { try e.run(&trace) }
    }

    @Test func targetHartMustExist() {
        var src = SourceSettings()
        src[3] = SourceSetting(targetHart: 1)
        #expect(throws: ReplayError.self) { try ReplayEngine(scenario: Scenario(), sources: src, strategy: .guestEnd) }
    }

    @Test func sourcesFileErrorsNameTheProblem() {
        func parse(_ s: String) -> String {
            do { _ = try SourceSettings.parse(json: Data(s.utf8), file: "s.json"); return "ok" }
            catch { return String(describing: error) }
        }
        #expect(parse(#"{"2": {"owner": "host"}, "5": {"priority": 3, "target_hart": 1}}"#) == "ok")
        #expect(parse(#"{"0": {}}"#).contains("1...1023"))
        #expect(parse(#"{"1024": {}}"#).contains("1...1023"))
        #expect(parse(#"{"2": {"owner": "hyp"}}"#).contains("owner"))
        #expect(parse(#"{"2": {"priority": 8}}"#).contains("priority"))
        #expect(parse(#"{"2": {"colour": 1}}"#).contains("unknown key 'colour'"))
        #expect(parse(#"{"2": {"trigger": "pulse"}}"#).contains("trigger"))
        #expect(parse(#"[1]"#).hasPrefix("s.json"))
        #expect(parse(#"{"2": {"priority": "high"}}"#).hasPrefix("s.json"))
    }
}
