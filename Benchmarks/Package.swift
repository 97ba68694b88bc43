// swift-tools-version: 6.1
import PackageDescription

// ordo-one/benchmark suites for irqbench (issue 6), a package of their own so the main package
// does not depend on the benchmark harness (as swift-nio does).
//
//   cd Benchmarks && swift package --scratch-path ../.build-benchpkg benchmark
//   swift package --scratch-path ../.build-benchpkg benchmark baseline check --check-absolute-path Thresholds
//
// The `traits: ["MallocInterposer"]` line is required: without traits, resolution fails (the default
// trait needs a package not on this machine); with `traits: []` malloc counts silently read 0.
let package = Package(
    name: "irqbench-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "irqbench", path: "../"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "CoreBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "IRQCore", package: "irqbench"),
            ],
            path: "Benchmarks/CoreBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "TraceBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "IRQTrace", package: "irqbench"),
            ],
            path: "Benchmarks/TraceBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "ReplayBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "IRQCore", package: "irqbench"),
                .product(name: "IRQTrace", package: "irqbench"),
                .product(name: "IRQReplay", package: "irqbench"),
            ],
            path: "Benchmarks/ReplayBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
