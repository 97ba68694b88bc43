// swift-tools-version: 6.1
import PackageDescription

// libFuzzer targets for every reader of files that come from outside (issue 15 part 5), a package
// of their own (as Benchmarks/) so the main package's `swift build` never meets an executable
// without a main: each target holds only `LLVMFuzzerTestOneInput` and links only when built with
// `--sanitize=fuzzer`. Build and run them with scripts/fuzz (docs/fuzzing.md).
//
//   swift build --package-path Fuzz --scratch-path .build-fuzz --product FuzzPcapng \
//       --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address
let package = Package(
    name: "irqbench-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "irqbench", path: "../"),
    ],
    targets: [
        // What every target shares: the scratch file, the clean-error oracle, record checks.
        .target(
            name: "FuzzSupport",
            dependencies: [.product(name: "IRQTrace", package: "irqbench")]
        ),
        .executableTarget(name: "FuzzNative", dependencies: ["FuzzSupport", .product(name: "IRQTrace", package: "irqbench")]),
        .executableTarget(name: "FuzzText", dependencies: ["FuzzSupport", .product(name: "IRQTrace", package: "irqbench")]),
        .executableTarget(name: "FuzzPcap", dependencies: ["FuzzSupport", .product(name: "IRQTrace", package: "irqbench")]),
        .executableTarget(name: "FuzzPcapng", dependencies: ["FuzzSupport", .product(name: "IRQTrace", package: "irqbench")]),
        .executableTarget(name: "FuzzFtrace", dependencies: ["FuzzSupport", .product(name: "IRQTrace", package: "irqbench")]),
        .executableTarget(name: "FuzzProcInterrupts", dependencies: ["FuzzSupport", .product(name: "IRQTrace", package: "irqbench")]),
        .executableTarget(name: "FuzzResults", dependencies: ["FuzzSupport", .product(name: "IRQResults", package: "irqbench")]),
    ]
)
