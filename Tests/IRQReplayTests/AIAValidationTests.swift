import Foundation
import IRQCore
import IRQReplay
import IRQTrace
import Testing

/// docs/model.md Part A, A.10: what each AIA controller and guest view refuses, with an error that
/// names the combination.
struct AIAValidationTests {
    func scenario(_ p: [String: String]) throws -> Scenario {
        var s = Scenario()
        for (k, v) in p.sorted(by: { $0.key < $1.key }) { try s.set(k, v) }
        return s
    }

    func refusal(_ p: [String: String], _ strategy: EndStrategy, sources: SourceSettings = .init()) -> String? {
        do {
            _ = try ReplayEngine(scenario: try scenario(p), sources: sources, strategy: strategy)
            return nil
        } catch { return "\(error)" }
    }

    @Test func strategiesPerController() throws {
        #expect(try scenario(["irqchip": "aplic-direct"]).applicableStrategies == [.hostEnd, .guestEnd, .maskUnmask, .hostEndRatelimit])
        #expect(try scenario(["irqchip": "aplic-msi"]).applicableStrategies
                == [.hostEnd, .guestEnd, .maskUnmask, .hostEndRatelimit, .hostEndNoretrigger])
        #expect(try scenario(["irqchip": "aplic-msi", "guest_irqchip": "vaplic-msi"]).applicableStrategies
                == [.hostEnd, .guestEnd, .maskUnmask, .hostEndRatelimit, .hostEndNoretrigger, .aiaGuestFile])
        #expect(try scenario(["irqchip": "aplic-direct", "guest_irqchip": "vaplic-msi"]).applicableStrategies
                == [.hostEnd, .guestEnd, .maskUnmask, .hostEndRatelimit])
    }

    @Test func eachRejectedCombinationIsNamed() {
        let cases: [([String: String], EndStrategy, [String])] = [
            (["irqchip": "aplic-msi"], .hwEOI, ["hw-eoi", "irqchip=plic", "irqchip=aplic-msi"]),
            (["irqchip": "aplic-direct"], .hwEOI, ["hw-eoi", "irqchip=plic", "irqchip=aplic-direct"]),
            ([:], .hostEndNoretrigger, ["host-end-noretrigger", "irqchip=plic"]),
            (["irqchip": "aplic-direct"], .hostEndNoretrigger, ["host-end-noretrigger", "irqchip=aplic-msi"]),
            (["irqchip": "aplic-direct"], .aiaGuestFile, ["aia-guest-file", "irqchip=aplic-msi"]),
            (["irqchip": "aplic-msi"], .aiaGuestFile, ["aia-guest-file", "guest_irqchip=vaplic-msi"]),
            (["irqchip": "aplic-msi"], .direct, ["direct", "irqchip=aplic-msi"]),
        ]
        for (p, s, names) in cases {
            let e = refusal(p, s)
            #expect(e != nil, "\(p) \(s.rawValue) accepted")
            for n in names { #expect(e?.contains(n) == true, "\(p) \(s.rawValue): '\(e ?? "")' lacks \(n)") }
        }
    }

    @Test func scenarioLevelRefusals() throws {
        for (p, name) in [(["guest_irqchip": "vaplic-msi"], "irqchip=plic"),
                          (["irqchip": "aplic-msi", "guest_irqchip": "vaplic-msi", "guest_files": "0"], "guest_files=0"),
                          (["irqchip": "aplic-msi", "guest_files": "64"], "guest_files"),
                          (["irqchip": "aplic-msi", "sgei_when_descheduled": "2"], "sgei_when_descheduled")] {
            let s = try scenario(p)
            #expect(throws: ScenarioError.self) { try s.validate() }
            do { try s.validate() } catch { #expect("\(error)".contains(name), "\(error)") }
        }
        // Without a guest file, aia-guest-file is refused even before the guest view is.
        let noFile = try scenario(["irqchip": "aplic-msi", "guest_files": "0"])
        try noFile.validate()
        #expect(noFile.applicableStrategies == [.hostEnd, .guestEnd, .maskUnmask, .hostEndRatelimit, .hostEndNoretrigger])
    }

    /// aia-guest-file pins the vCPU's guest file on guest_hart: a guest source elsewhere is refused,
    /// from its settings before the replay, or at its first record when only the trace names it.
    @Test func guestFileNeedsGuestSourcesOnTheGuestHart() throws {
        let p = ["irqchip": "aplic-msi", "guest_irqchip": "vaplic-msi", "harts": "2"]
        var src = SourceSettings()
        src[4] = SourceSetting(targetHart: 1)
        #expect(refusal(p, .aiaGuestFile, sources: src)?.contains("source 4 has target_hart 1") == true)
        #expect(try !scenario(p).applicableStrategies(sources: src).contains(.aiaGuestFile))
        src[4] = SourceSetting(owner: .host, targetHart: 1)
        #expect(refusal(p, .aiaGuestFile, sources: src) == nil, "a host-owned source may be anywhere")

        var q = p
        q["guest_hart"] = "1"
        var trace = ArrayTraceStream([TraceEvent(time: 0, source: 3, kind: .level, count: 1)])
        let engine = try ReplayEngine(scenario: try scenario(q), strategy: .aiaGuestFile)
        #expect(throws: ReplayError.self) { try engine.run(&trace) }
    }

    @Test func aiaParametersAreKnownAndRecordedWhenChanged() throws {
        var s = Scenario()
        for n in ["topei_claim", "vtopei", "msi_latency", "guest_files", "sgei_when_descheduled", "sgei_handler"] {
            #expect(Scenario.parameterNames.contains(n))
        }
        try s.set("irqchip", "aplic-msi")
        try s.set("guest_irqchip", "vaplic-msi")
        try s.set("msi_latency", "40")
        #expect(s.canonicalDescription == "irqchip=aplic-msi;guest_irqchip=vaplic-msi;msi_latency=40")
    }
}
