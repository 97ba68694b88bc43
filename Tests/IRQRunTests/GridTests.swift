import IRQRun
import Testing

/// The grid syntax (lists, linear and geometric ranges, grid files) and the order of points.
struct GridTests {
    func values(_ spec: String) throws -> [String] { try GridSyntax.parseAxis(spec).values }

    @Test func listKeepsTextValuesAsWritten() throws {
        let a = try GridSyntax.parseAxis("service=1000,4000,16000")
        #expect(a.name == "service" && a.values == ["1000", "4000", "16000"])
        // Named choices (controller families, policies) are values like any other.
        #expect(try values("irqchip = plic, aplic-msi ,gicv2") == ["plic", "aplic-msi", "gicv2"])
    }

    @Test func linearRangeStepsUpToTheEnd() throws {
        #expect(try values("service=1000..4000+1000") == ["1000", "2000", "3000", "4000"])
        #expect(try values("service=1000..4500+1000") == ["1000", "2000", "3000", "4000"], "B is included only when reached")
        #expect(try values("harts=1..1+5") == ["1"])
    }

    @Test func geometricRangeMultipliesAndRounds() throws {
        #expect(try values("service=1000..64000*2") == ["1000", "2000", "4000", "8000", "16000", "32000", "64000"])
        // 100 * 1.5^k = 100, 150, 225, 337.5, 506.25, 759.375 (next 1139 > 1000); halves round up.
        #expect(try values("service=100..1000*1.5") == ["100", "150", "225", "338", "506", "759"])
        // A factor close to 1 rounds neighbours to the same integer: each is kept once.
        #expect(try values("x=1..3*1.2") == ["1", "2", "3"], "1.2^k: 1, 1.2, 1.44, 1.73, 2.07, 2.49, 2.99")
    }

    @Test func itemsConcatenate() throws {
        #expect(try values("service=500,1000..4000*2,20000") == ["500", "1000", "2000", "4000", "20000"])
    }

    @Test(arguments: [
        "service", "=1,2", "service=", "service=1,,2", "service=1,1", "service=1000,1000..2000+1000",
        "service=5..1+1", "service=1..5+0", "service=1..5*1", "service=0..5*2", "service=1..5", "service=a..b+1",
        "service=1..5+1..7", "p=a;b", "p=x y", "p=a=b", "service=1..99999999999+1",
    ])
    func badAxesAreRefused(_ spec: String) {
        #expect(throws: GridError.self) { try GridSyntax.parseAxis(spec) }
    }

    @Test func errorsNameTheAxisAndTheProblem() {
        #expect(throws: GridError("service: the value 1000 appears twice")) { try GridSyntax.parseAxis("service=1000,1000") }
        #expect(throws: GridError("service: '1..5+0': the step must be > 0")) { try GridSyntax.parseAxis("service=1..5+0") }
    }

    @Test func gridFileHasOneAxisPerLineWithComments() throws {
        let text = """
            # the study of docs/sweeps.md
            service = 1000..4000*2   # guest work
            
            vcpu_budget=250000,1000000
            """
        let axes = try GridSyntax.parseFile(text, file: "study.grid")
        #expect(axes == [GridAxis(name: "service", values: ["1000", "2000", "4000"]),
                         GridAxis(name: "vcpu_budget", values: ["250000", "1000000"])])
        #expect(throws: GridError("study.grid:2: 'bogus': expected NAME=VALUES")) {
            try GridSyntax.parseFile("service=1\nbogus\n", file: "study.grid")
        }
    }

    @Test func pointsRunWithTheLastAxisFastest() throws {
        let g = try Grid(axes: [GridAxis(name: "a", values: ["1", "2"]), GridAxis(name: "b", values: ["x", "y", "z"])])
        #expect(g.pointCount == 6)
        #expect((0..<6).map { g.description(at: $0) } == ["a=1;b=x", "a=1;b=y", "a=1;b=z", "a=2;b=x", "a=2;b=y", "a=2;b=z"])
        #expect(try Grid(axes: []).pointCount == 1)
        #expect(try Grid(axes: []).description(at: 0) == "")
    }

    @Test func anAxisCannotBeSweptTwice() {
        #expect(throws: GridError("parameter a is swept twice")) {
            try Grid(axes: [GridAxis(name: "a", values: ["1"]), GridAxis(name: "a", values: ["2"])])
        }
    }

    @Test func planNumbersReplaysPointMajor() throws {
        let g = try Grid(axes: [GridAxis(name: "service", values: ["1", "2"])])
        let plan = SweepPlan(grid: g, traces: [.init(path: "a", name: "a", sha256: ""), .init(path: "b", name: "b", sha256: "")],
                             strategies: ["host-end", "guest-end", "hw-eoi"], fixedParams: "harts=2", commit: "c", reading: "")
        #expect(plan.replayCount == 12)
        #expect(plan.replay(7) == SweepPlan.Replay(point: 1, trace: 0, strategy: 1))
        #expect(plan.params(at: 1) == "service=2;harts=2")
        #expect(plan.describe(7) == "service=2;harts=2 a guest-end")
    }
}
