// swift-tools-version: 6.1
import PackageDescription

// Architecture (one folder per layer):
//   IRQCore    - the dispatch core: descriptors, status bits, controller types, PLIC, vPLIC.
//                No Foundation, no allocation after set-up.
//   CPcap      - libpcap as a system library (thin; wrapped in IRQTrace).
//   CZlib      - zlib as a system library (gzip-compressed ftrace files).
//   CCrypto    - OpenSSL's libcrypto as a system library (SHA-256 of traces for provenance).
//   IRQTrace   - trace formats: native pcap, text CSV, importers, generator.
//   IRQReplay  - the deterministic replay engine and the metrics of docs/model.md.
//   IRQResults - the results CSV schema, compare and plot.
//   IRQLive    - live mode: the dispatch core on real threads (device, harts, guest), measured.
//   IRQRun     - sweeps: traces x strategies replayed in parallel, results rows with provenance.
//   irqbench   - the command-line tool.
let package = Package(
    name: "irqbench",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "irqbench", targets: ["irqbench"]),
        .library(name: "IRQCore", targets: ["IRQCore"]),
        .library(name: "IRQTrace", targets: ["IRQTrace"]),
        .library(name: "IRQReplay", targets: ["IRQReplay"]),
        .library(name: "IRQResults", targets: ["IRQResults"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        .target(
            name: "IRQCore",
            // Poison checks (released guest-info slots read domain 0) and index checks in debug builds.
            swiftSettings: [.define("IRQCORE_CHECKS", .when(configuration: .debug))]
        ),
        .systemLibrary(
            name: "CPcap",
            pkgConfig: "libpcap",
            providers: [.apt(["libpcap-dev"])]
        ),
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "IRQTrace",
            dependencies: ["CPcap", "CZlib", "CCrypto"]
        ),
        .target(
            name: "IRQReplay",
            dependencies: [
                "IRQCore", "IRQTrace",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "HeapModule", package: "swift-collections"),
            ]
        ),
        .target(
            name: "IRQResults",
            dependencies: []
        ),
        .target(
            name: "IRQLive",
            dependencies: [
                "IRQCore", "IRQTrace", "IRQReplay", "IRQResults",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .target(
            name: "IRQRun",
            dependencies: ["IRQCore", "IRQTrace", "IRQReplay", "IRQResults"]
        ),
        .executableTarget(
            name: "irqbench",
            dependencies: [
                "IRQCore", "IRQTrace", "IRQReplay", "IRQResults", "IRQRun", "IRQLive",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "IRQCoreTests", dependencies: ["IRQCore"]),
        .testTarget(
            name: "IRQTraceTests",
            dependencies: ["IRQTrace"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "IRQReplayTests",
            dependencies: ["IRQReplay", "IRQCore", "IRQTrace"],
            resources: [.copy("Vectors"), .copy("VectorsAIA"), .copy("VectorsGIC")]
        ),
        .testTarget(
            name: "IRQRunTests",
            dependencies: ["IRQRun", "IRQReplay", "IRQTrace", "IRQResults", "IRQCore"],
            // Pins/model-digests.txt is read through #filePath (ModelPinTests), not as a resource.
            exclude: ["Pins"]
        ),
        .testTarget(
            name: "IRQLiveTests",
            dependencies: ["IRQLive", "IRQCore", "IRQReplay", "IRQTrace", "IRQResults"]
        ),
        .testTarget(
            name: "IRQResultsTests",
            dependencies: ["IRQResults"],
            exclude: ["Fixtures"]  // read by path (inputs found by Fuzz/'s FuzzResults)
        ),
    ]
)
