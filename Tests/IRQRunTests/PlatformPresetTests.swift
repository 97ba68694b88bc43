import Foundation
import IRQReplay
import Testing
@testable import IRQRun

/// The presets: their numbers against the committed derived data and against the fit worked out
/// by hand in docs/validation.md, the fit/check separation, and the results' provenance text.
struct PlatformPresetTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// quantity.hypervisor -> (n, mean, min, max) from scripts/calibration/shedding-light-derived.csv.
    static func derivedRows() throws -> [String: (n: Int, mean: Double, lo: Double?, hi: Double?)] {
        let text = try String(contentsOf: repoRoot.appendingPathComponent("scripts/calibration/shedding-light-derived.csv"), encoding: .utf8)
        var rows: [String: (Int, Double, Double?, Double?)] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("quantity,") {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            rows["\(f[0]).\(f[1])"] = (Int(f[2])!, Double(f[3])!, Double(f[4]), Double(f[5]))
        }
        return rows
    }

    @Test func everyShippedSheddingLightNumberIsTheDerivedOne() throws {
        let rows = try Self.derivedRows()
        let sl = PublishedMeasurements.all.filter { $0.id.hasPrefix("sl.") }
        #expect(sl.count == 43)
        for m in sl {
            let key = String(m.id.dropFirst(3))
            let r = try #require(rows[key], "\(m.id) is not in shedding-light-derived.csv")
            #expect(r.n == m.samples, "\(m.id)")
            #expect(abs(r.mean - m.meanNs) < 0.005, "\(m.id): \(r.mean) vs \(m.meanNs)")
            #expect(r.lo == m.minNs && r.hi == m.maxNs, "\(m.id)")
        }
        for s in [PublishedMeasurements.stormBao, PublishedMeasurements.stormXen, PublishedMeasurements.stormJailhouse] {
            #expect(rows["irqstorm_runs_with_spikes_at_4-7-10-13.\(s.hypervisor)"]?.mean == Double(s.runsWithSpikesAt4_7_10_13))
            #expect(rows["irqstorm_runs_priority_order_passed.\(s.hypervisor)"]?.mean == Double(s.runsInPriorityOrder))
        }
    }

    @Test func measurementIdsAreUnique() {
        let ids = PublishedMeasurements.all.map(\.id)
        #expect(Set(ids).count == ids.count)
    }

    /// Fit-set parameters come only from fit-set measurements: no preset value may depend on a
    /// number the validation compares the model with.
    @Test func noPresetValueDependsOnACheckedMeasurement() {
        for p in PlatformPreset.all {
            for q in p.parameters {
                for m in q.provenance.measurements {
                    #expect(m.role == .fit, "\(p.name) \(q.name) depends on \(m.id), a prediction's measurement")
                }
            }
        }
    }

    static func values(_ p: PlatformPreset) -> [String: String] {
        Dictionary(p.parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { _, b in b })
    }

    /// docs/validation.md "The fit", worked out by hand from the means.
    @Test func zcu104FitMatchesTheHandArithmetic() {
        let expected: [String: [String: String]] = [
            "zcu104-bao": ["trap_entry": "242", "trap_exit": "242", "maint_handler": "1484", "vmmio": "731", "ipi": "1826",
                           "iar_loop": "0", "lr_policy": "priority", "lr_refill": "no-pending"],
            "zcu104-xen": ["trap_entry": "1378", "trap_exit": "1378", "maint_handler": "0", "vmmio": "194", "ipi": "2727",
                           "iar_loop": "1", "lr_policy": "priority", "lr_refill": "underflow"],
            "zcu104-jailhouse": ["trap_entry": "286", "trap_exit": "286", "maint_handler": "1667", "vmmio": "1338", "ipi": "1070",
                                 "iar_loop": "1", "lr_policy": "fifo", "lr_refill": "underflow"],
        ]
        let common = ["irqchip": "gicv2", "list_registers": "4", "virq_entry": "207", "guest_iar": "15", "guest_eoir": "15",
                      "claim_mmio": "100", "inject": "50", "eoir_write": "50", "dir_write": "50", "guest_min_run": "1",
                      "lr_overflow_cost": "0", "refill_scan": "0"]
        for (name, own) in expected {
            let v = Self.values(PlatformPreset.named(name)!)
            for (k, want) in own.merging(common, uniquingKeysWith: { a, _ in a }) {
                #expect(v[k] == want, "\(name) \(k): \(v[k] ?? "unset") vs \(want)")
            }
            #expect(v.count == own.count + common.count, "\(name) sets \(v.keys.sorted())")
        }
    }

    @Test func stormWorkloadIsTheBareMetalHandler() {
        #expect(ZCU104Fit.stormPerUnit.value == 70)
        #expect(ZCU104Fit.stormService.value == 323)
        #expect(ZCU104Fit.steadyInterval == 630)
        #expect(ZCU104Fit.nativeLatency == 222)
    }

    @Test func kvmAltraFromTheMicroBench() {
        let v = Self.values(PlatformPreset.named("kvm-altra")!)
        #expect(v["trap_entry"] == "153" && v["trap_exit"] == "153")
        #expect(v["vmmio"] == "145")
        #expect(v["guest_eoir"] == "14")
        #expect(v["ipi"] == "1475")
        #expect(PlatformPreset.named("kvm-altra")!.calibration == .partial)
    }

    @Test func derivedArithmeticShowsTheNumbers() {
        let q = PlatformPreset.named("zcu104-bao")!.parameters.first { $0.name == "maint_handler" }!
        guard case .derived(_, let text) = q.provenance else { Issue.record("maint_handler is not derived"); return }
        #expect(text.contains("2948") && text.contains("630") && text.contains("1484"))
    }

    @Test func theEstimatesSayTheyAreEstimates() throws {
        for name in ["riscv-plic-estimate", "riscv-aia-estimate"] {
            let p = PlatformPreset.named(name)!
            #expect(p.calibration == .estimate)
            #expect(p.parameters.count > 10)
            for q in p.parameters {
                guard case .chosen(let reason) = q.provenance else { Issue.record("\(q.name) is not chosen"); continue }
                #expect(reason.contains("uncalibrated estimate"))
            }
        }
        // The PLIC one is the model's defaults: applying it changes nothing.
        #expect(try PlatformPreset.named("riscv-plic-estimate")!.scenario() == Scenario())
        // The AIA one only selects the controllers; every cost is the default.
        #expect(try PlatformPreset.named("riscv-aia-estimate")!.scenario().canonicalDescription
                == "irqchip=aplic-msi;guest_irqchip=vaplic-msi")
    }

    @Test func everyPresetAppliesToTheModel() throws {
        for p in PlatformPreset.all {
            var s = Scenario()
            try p.apply(to: &s)
            try s.validate()
        }
    }

    @Test func unknownNameNamesTheKnownOnes() {
        #expect(PlatformPreset.named("zcu102") == nil)
        let msg = PlatformPreset.unknownNameMessage("zcu102")
        #expect(msg == "unknown platform 'zcu102' (known: zcu104-bao, zcu104-xen, zcu104-jailhouse, kvm-altra, riscv-plic-estimate, riscv-aia-estimate)")
    }

    @Test func paramsStartWithThePlatformThenTheOverrides() throws {
        let p = PlatformPreset.named("riscv-plic-estimate")!
        var s = try p.scenario()
        #expect(paramsProvenance(scenario: s, platform: p, sourcesSHA256: nil) == "platform=riscv-plic-estimate")
        try s.set("service", "5000")
        try s.set("claim_mmio", "250")
        #expect(paramsProvenance(scenario: s, platform: p, sourcesSHA256: "0123456789abcdef0123")
                == "platform=riscv-plic-estimate;claim_mmio=250;service=5000;sources=0123456789abcdef")
        #expect(paramsProvenance(scenario: s, platform: nil, sourcesSHA256: nil) == "claim_mmio=250;service=5000")
    }

    @Test func anOverrideBackToTheDefaultIsRecorded() throws {
        let p = PlatformPreset.named("zcu104-bao")!
        var s = try p.scenario()
        try s.set("trap_entry", "150")  // the model's default
        try s.set("guest_min_run", "50")  // the model's default
        #expect(paramsProvenance(scenario: s, platform: p, sourcesSHA256: nil)
                == "platform=zcu104-bao;trap_entry=150;guest_min_run=50")
    }
}
