// swift-tools-version: 6.1
// libFuzzer targets for smrl's readers. Build and run them with `Fuzz/run.sh` (see README.md); this package
// is separate from the main one so that the sanitizer flags never touch the ordinary build.
import PackageDescription

let package = Package(
    name: "smrl-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "smrl", path: ".."),
    ],
    targets: [
        // Declares libFuzzer's driver for Swift.
        .target(name: "FuzzerDriver", path: "Sources/FuzzerDriver"),
        .executableTarget(
            name: "smrl-fuzz",
            dependencies: [
                "FuzzerDriver",
                .product(name: "SMRLCore", package: "smrl"),
                .product(name: "SMRLFormats", package: "smrl"),
            ],
            path: "Sources/smrl-fuzz",
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
