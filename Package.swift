// swift-tools-version:6.0
import PackageDescription

/// Tacit: a recommender engine for implicit feedback.
///
/// Dense linear algebra goes through BLAS/LAPACK: OpenBLAS + LAPACKE through the `CTacitBLAS`
/// system-library target on Linux (Debian: `libopenblas-dev liblapacke-dev`), Accelerate on macOS.
let blas: [Target.Dependency] = [
    .target(name: "CTacitBLAS", condition: .when(platforms: [.linux]))
]

/// The numeric kernels are optimised even in debug builds: unoptimised SIMD loops are 30-50x
/// slower, which would make the test suite (it trains real models on MovieLens) crawl.
let optimized: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "Tacit",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tacit", targets: ["tacit"]),
        .library(name: "TacitCore", targets: ["TacitCore"]),
        .library(name: "TacitModels", targets: ["TacitModels"]),
        .library(name: "TacitEvaluation", targets: ["TacitEvaluation"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CTacitBLAS",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        // Hot vector kernels compiled for AVX-512, AVX2+FMA and baseline, chosen at run time.
        .target(name: "CTacitKernels", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "TacitCore", dependencies: blas + ["CTacitKernels"], swiftSettings: optimized),
        .target(name: "TacitModels", dependencies: ["TacitCore"], swiftSettings: optimized),
        .target(name: "TacitEvaluation", dependencies: ["TacitCore", "TacitModels"], swiftSettings: optimized),
        .target(name: "TacitSynthetic", dependencies: ["TacitCore"], swiftSettings: optimized),
        .target(name: "TacitTestSupport", dependencies: ["TacitCore", "TacitModels", "TacitEvaluation"]),
        .executableTarget(
            name: "tacit",
            dependencies: [
                "TacitCore", "TacitModels", "TacitEvaluation", "TacitSynthetic",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "TacitCoreTests", dependencies: ["TacitCore", "TacitTestSupport"]),
        .testTarget(name: "TacitModelsTests", dependencies: ["TacitModels", "TacitSynthetic", "TacitTestSupport"]),
        .testTarget(name: "TacitEvaluationTests", dependencies: ["TacitEvaluation", "TacitTestSupport"]),
        .testTarget(name: "TacitCLITests", dependencies: ["TacitCore", "TacitTestSupport"]),
    ]
)
