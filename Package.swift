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
        .library(name: "TacitNeural", targets: ["TacitNeural"]),
        .library(name: "TacitModels", targets: ["TacitModels"]),
        .library(name: "TacitBoosting", targets: ["TacitBoosting"]),
        .library(name: "TacitEvaluation", targets: ["TacitEvaluation"]),
        .library(name: "TacitStore", targets: ["TacitStore"]),
        .library(name: "TacitServing", targets: ["TacitServing"]),
        .library(name: "TacitExperiments", targets: ["TacitExperiments"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // The service: HTTP server, embedded SQLite store (WAL), PostgreSQL store by URL.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        // HMAC-SHA-256 for pseudonymous user ids (already built for postgres-nio).
        .package(url: "https://github.com/apple/swift-crypto.git", "3.9.0" ..< "6.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CTacitBLAS",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        // XGBoost's C API: the boosted trees of the learned ranking stage (issue 18).
        .systemLibrary(
            name: "CXGBoost",
            providers: [.apt(["libxgboost-dev"]), .brew(["xgboost"])]
        ),
        .target(name: "TacitBoosting", dependencies: ["TacitCore", "CXGBoost"]),
        // Hot vector kernels compiled for AVX-512, AVX2+FMA and baseline, chosen at run time.
        .target(name: "CTacitKernels", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "TacitCore", dependencies: blas + ["CTacitKernels"], swiftSettings: optimized),
        // Neural-network training for recommendation: embeddings, dense layers, hand-written backward passes, Adam/Adagrad.
        .target(name: "TacitNeural", dependencies: blas + ["TacitCore", "CTacitKernels"], swiftSettings: optimized),
        .target(name: "TacitModels", dependencies: ["TacitCore", "TacitNeural", "TacitBoosting"], swiftSettings: optimized),
        .target(name: "TacitEvaluation", dependencies: ["TacitCore", "TacitModels"], swiftSettings: optimized),
        .target(name: "TacitSynthetic", dependencies: ["TacitCore"], swiftSettings: optimized),
        // A/B tests and bandits: definitions, assignment, statistics, simulation (issue 7).
        .target(name: "TacitExperiments", dependencies: ["TacitCore"], swiftSettings: optimized),
        .target(
            name: "TacitStore",
            dependencies: [
                "TacitCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .target(
            name: "TacitServing",
            dependencies: [
                "TacitCore", "TacitModels", "TacitEvaluation", "TacitStore", "TacitExperiments",
                .product(name: "Logging", package: "swift-log"), .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: optimized
        ),
        .target(
            name: "TacitHTTP",
            dependencies: [
                "TacitCore", "TacitEvaluation", "TacitServing", "TacitStore", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "TacitTestSupport", dependencies: ["TacitCore", "TacitModels", "TacitEvaluation", "TacitStore", "TacitServing", .product(name: "Logging", package: "swift-log")]),
        .executableTarget(
            name: "tacit",
            dependencies: [
                "TacitCore", "TacitModels", "TacitEvaluation", "TacitSynthetic", "TacitStore", "TacitServing", "TacitHTTP",
                "TacitExperiments", "CTacitKernels",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ] + blas
        ),
        .testTarget(name: "TacitCoreTests", dependencies: ["TacitCore", "TacitTestSupport"]),
        .testTarget(name: "TacitNeuralTests", dependencies: ["TacitNeural", "TacitCore", "CTacitKernels"]),
        .testTarget(name: "TacitModelsTests", dependencies: ["TacitModels", "TacitSynthetic", "TacitTestSupport"]),
        .testTarget(name: "TacitBoostingTests", dependencies: ["TacitBoosting", "TacitCore"]),
        .testTarget(name: "TacitExperimentsTests", dependencies: ["TacitExperiments", "TacitCore"]),
        .testTarget(name: "TacitEvaluationTests", dependencies: ["TacitEvaluation", "TacitTestSupport"]),
        .testTarget(name: "TacitCLITests", dependencies: ["TacitCore", "TacitStore", "TacitTestSupport"]),
        .testTarget(name: "TacitStoreTests", dependencies: ["TacitStore", "TacitTestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "TacitServingTests", dependencies: ["TacitServing", "TacitStore", "TacitExperiments", "TacitModels", "TacitSynthetic", "TacitTestSupport"]),
        // Over real loopback sockets with URLSession (HummingbirdTesting would add AsyncHTTPClient to the build).
        .testTarget(name: "TacitHTTPTests", dependencies: ["TacitHTTP", "TacitServing", "TacitStore", "TacitExperiments", "TacitEvaluation", "TacitModels", "TacitTestSupport"]),
    ]
)
