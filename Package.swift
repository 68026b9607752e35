// swift-tools-version: 6.1
import PackageDescription

/// Settings shared by every Swift target.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "smrl",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "smrl", targets: ["smrl"]),
        .executable(name: "smrl-bench", targets: ["smrl-bench"]),
        .library(name: "SMRLCore", targets: ["SMRLCore"]),
        .library(name: "SMRLFormats", targets: ["SMRLFormats"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The C view of the system libxml2. Only SMRLXML imports it (see CONTRIBUTING.md).
        .systemLibrary(
            name: "SMRLCLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        // The one Swift module that calls libxml2. Nothing outside it sees a C pointer.
        .target(name: "SMRLXML", dependencies: ["SMRLCLibXML2", "SMRLCore"], swiftSettings: swiftSettings),
        // Resource model, vocabularies, diagnostics, validator, reader/writer protocols, registry, pipeline.
        .target(name: "SMRLCore", swiftSettings: swiftSettings),
        // One module per format, each plugged into the registry by SMRLFormats.
        .target(name: "SMRLNative", dependencies: ["SMRLCore"], swiftSettings: swiftSettings),
        .target(name: "SMRLRIS", dependencies: ["SMRLCore"], swiftSettings: swiftSettings),
        .target(name: "SMRLBibTeX", dependencies: ["SMRLCore"], swiftSettings: swiftSettings),
        .target(name: "SMRLCSLJSON", dependencies: ["SMRLCore"], swiftSettings: swiftSettings),
        .target(name: "SMRLJATS", dependencies: ["SMRLCore", "SMRLXML"], swiftSettings: swiftSettings),
        // The registry of every built-in format.
        .target(
            name: "SMRLFormats",
            dependencies: ["SMRLCore", "SMRLNative", "SMRLRIS", "SMRLBibTeX", "SMRLCSLJSON", "SMRLJATS"],
            swiftSettings: swiftSettings
        ),
        // The command: thin subcommands over the library.
        .executableTarget(
            name: "smrl",
            dependencies: [
                "SMRLCore", "SMRLFormats", "SMRLXML",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // The benchmark (release builds only; see BENCHMARKS.md): corpus generator, per-case child processes, peers.
        .executableTarget(
            name: "smrl-bench", dependencies: ["SMRLCore", "SMRLFormats"], swiftSettings: swiftSettings
        ),
        // Locates ../shared/corpus and the repository's own files for tests.
        .target(name: "SMRLTestSupport", dependencies: ["SMRLCore"], path: "Tests/SMRLTestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "SMRLCoreTests", dependencies: ["SMRLCore", "SMRLFormats", "SMRLTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "SMRLNativeTests", dependencies: ["SMRLNative", "SMRLCore", "SMRLFormats", "SMRLTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "SMRLRISTests", dependencies: ["SMRLRIS", "SMRLCore", "SMRLNative", "SMRLTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "SMRLBibTeXTests", dependencies: ["SMRLBibTeX", "SMRLCore", "SMRLNative", "SMRLTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "SMRLCSLJSONTests", dependencies: ["SMRLCSLJSON", "SMRLCore", "SMRLNative", "SMRLRIS", "SMRLBibTeX", "SMRLTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "SMRLJATSTests", dependencies: ["SMRLJATS", "SMRLXML", "SMRLCore", "SMRLNative", "SMRLFormats", "SMRLTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "SMRLCLITests", dependencies: ["smrl", "SMRLCore", "SMRLTestSupport"], swiftSettings: swiftSettings),
        // The README, the man page, the completions, the mapping references and the DocC examples, checked against
        // the code so that the documentation cannot drift from it.
        .testTarget(
            name: "SMRLDocsTests",
            dependencies: [
                "smrl", "SMRLCore", "SMRLFormats", "SMRLNative", "SMRLRIS", "SMRLBibTeX", "SMRLCSLJSON", "SMRLJATS",
                "SMRLTestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings),
        // Damaged and hostile input, limits, counts and concurrency, over every format of the registry.
        .testTarget(name: "SMRLRobustnessTests", dependencies: ["smrl", "SMRLFormats", "SMRLCore", "SMRLTestSupport"], swiftSettings: swiftSettings),
    ],
    swiftLanguageModes: [.v6]
)
