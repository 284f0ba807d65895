// swift-tools-version: 6.1
import PackageDescription

// Data flows one way: receive (KansokuIngest) → model (KansokuModel) →
// store (KansokuStorage) → query/serve (KansokuAPI). `KansokuServer` wires
// them together and `kansoku` is the thin command-line front.
let package = Package(
    name: "Kansoku",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kansoku", targets: ["kansoku"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
    ],
    targets: [
        // MARK: System libraries (Debian -dev packages, installed by scripts/setup)
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        .systemLibrary(
            name: "CSnappy",
            path: "Sources/CSnappy",
            providers: [.apt(["libsnappy-dev"])]
        ),

        .systemLibrary(
            name: "CZstd",
            path: "Sources/CZstd",
            providers: [.apt(["libzstd-dev"])]
        ),

        // Intel's ISA-L (Debian's libisal-dev): CRC-32C with the CPU's
        // instructions, for the write-ahead log's frame checksums.
        .systemLibrary(
            name: "CIsal",
            path: "Sources/CIsal",
            providers: [.apt(["libisal-dev"])]
        ),

        // MARK: Model — Kansoku's own types for spans, log records and metric points.
        .target(name: "KansokuModel"),

        // MARK: Wire formats — code generated from Proto/*.proto (see scripts/generate-protos).
        .target(
            name: "KansokuWire",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),

        // MARK: Ingest — receivers that decode wire formats into the model.
        .target(
            name: "KansokuIngest",
            dependencies: [
                "KansokuModel", "KansokuRegex", "KansokuWire", "CZlib", "CSnappy",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),

        // MARK: Regex — Go's RE2 syntax and semantics, as Prometheus and Loki match label values and lines.
        .target(name: "KansokuRegex", dependencies: ["KansokuModel"]),

        // MARK: Storage — write-ahead log (and, per signal, the stores behind it).
        .target(
            name: "KansokuStorage",
            dependencies: [
                "KansokuModel", "KansokuRegex", "CZstd", "CIsal",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),

        // MARK: Query — PromQL (parser and engine), LogQL and TraceQL.
        .target(name: "KansokuQuery", dependencies: ["KansokuModel", "KansokuRegex"]),

        // MARK: API — the HTTP port serving operations and read endpoints.
        .target(
            name: "KansokuAPI",
            dependencies: [
                "KansokuModel", "KansokuStorage", "KansokuQuery", "KansokuWire",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            ]
        ),

        // MARK: UI — the web UI's HTML, CSS and JavaScript (Sources/KansokuUI/Assets), embedded at build time.
        .executableTarget(name: "kansoku-embed-assets"),
        .plugin(name: "EmbedUIAssets", capability: .buildTool(), dependencies: ["kansoku-embed-assets"]),
        .target(
            name: "KansokuUI",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            exclude: ["Assets"],
            plugins: ["EmbedUIAssets"]
        ),

        // MARK: Server — configuration and wiring of every piece.
        .target(
            name: "KansokuServer",
            dependencies: [
                "KansokuModel", "KansokuIngest", "KansokuStorage", "KansokuAPI", "KansokuUI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),

        .executableTarget(
            name: "kansoku",
            dependencies: [
                "KansokuServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Tests
        .testTarget(name: "KansokuModelTests", dependencies: ["KansokuModel"]),
        .testTarget(
            name: "KansokuStorageTests",
            dependencies: ["KansokuStorage", "KansokuModel", .product(name: "Logging", package: "swift-log")],
            exclude: ["Logs/Fixtures"]
        ),
        .testTarget(
            name: "KansokuIngestTests",
            dependencies: ["KansokuIngest", "KansokuModel", "KansokuWire",
                           .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                           .product(name: "Hummingbird", package: "hummingbird")]
        ),
        .testTarget(name: "KansokuQueryTests", dependencies: ["KansokuQuery", "KansokuModel"]),
        .testTarget(name: "KansokuRegexTests", dependencies: ["KansokuRegex"], exclude: ["Fixtures"]),
        .testTarget(
            name: "KansokuAPITests",
            dependencies: ["KansokuAPI", "KansokuModel", "KansokuQuery", "KansokuStorage", "KansokuWire",
                           .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                           .product(name: "HummingbirdTesting", package: "hummingbird")]
        ),
        .testTarget(name: "KansokuServerTests", dependencies: ["KansokuServer", "KansokuStorage"]),
        .testTarget(
            name: "KansokuUITests",
            dependencies: ["KansokuUI", .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdTesting", package: "hummingbird")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
