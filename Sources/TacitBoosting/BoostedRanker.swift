import CXGBoost
import Foundation
import TacitCore

/// A learning-to-rank model of gradient-boosted trees, trained and evaluated by XGBoost's C API
/// (LambdaMART with `rank:ndcg`). Boosting itself is XGBoost's; this type owns the booster handle,
/// converts Tacit's rows and groups to XGBoost matrices and keeps the feature names beside it.
///
/// Scoring walks the trees in Swift (``TreeEnsemble``, read from the booster's JSON model: the
/// same sums as XGBoost's, without its per-call overhead), or, for a model the walker does not
/// cover, through XGBoost's in-place prediction (thread-safe since XGBoost 1.4, each thread's
/// result in its own buffer, copied out at once); both run concurrently. Saving and reading gains
/// take a lock.
public final class BoostedRanker: @unchecked Sendable {
    // `@unchecked`: after the initialiser, the handle is only read: by thread-safe prediction, or
    // under `lock`.
    /// The features, in the column order every scored row must have.
    public let featureNames: [String]
    private let handle: BoosterHandle
    private let lock = NSLock()
    /// The trees as the Swift walker reads them (nil: XGBoost scores).
    public private(set) var ensemble: TreeEnsemble?

    private init(handle: BoosterHandle, featureNames: [String]) {
        self.handle = handle
        self.featureNames = featureNames
    }

    /// Reads the trees for the Swift walker; left nil when XGBoost's JSON model has what the
    /// walker does not model.
    private func readEnsemble() {
        var length: bst_ulong = 0
        var bytes: UnsafePointer<CChar>?
        guard XGBoosterSaveModelToBuffer(handle, #"{"format": "json"}"#, &length, &bytes) == 0, let bytes else { return }
        let json = bytes.withMemoryRebound(to: UInt8.self, capacity: Int(length)) { Data(UnsafeBufferPointer(start: $0, count: Int(length))) }
        ensemble = try? TreeEnsemble(json: json, width: featureNames.count)
    }

    deinit { XGBoosterFree(handle) }

    /// Trains `configuration.rounds` trees on `examples` (groups with a single row or no relevant
    /// row carry no ranking signal; XGBoost skips them).
    /// - Throws: a ``TacitError`` for an invalid configuration, no examples, or an XGBoost failure.
    public static func train(_ examples: RankingExamples, configuration: BoostingConfiguration) throws(TacitError) -> BoostedRanker {
        try configuration.validate()
        guard examples.count > 0, !examples.featureNames.isEmpty else { throw .invalidArgument("ranker: no training examples") }
        let matrix = try examples.features.withUnsafeBufferPointer { rows throws(TacitError) in
            try Matrix(rows: rows, count: examples.count, columns: examples.featureNames.count)
        }
        try check(examples.labels.withUnsafeBufferPointer { XGDMatrixSetFloatInfo(matrix.handle, "label", $0.baseAddress, bst_ulong($0.count)) },
                  "set labels")
        let groups = examples.groups.map { UInt32(clamping: $0) }
        try check(groups.withUnsafeBufferPointer { XGDMatrixSetUIntInfo(matrix.handle, "group", $0.baseAddress, bst_ulong($0.count)) }, "set groups")
        if !examples.margins.isEmpty { try matrix.setMargins(examples.margins) }
        var booster: BoosterHandle?
        var inputs: [DMatrixHandle?] = [matrix.handle]
        try check(inputs.withUnsafeMutableBufferPointer { XGBoosterCreate($0.baseAddress, 1, &booster) }, "create booster")
        guard let booster else { throw .invalidArgument("xgboost: create booster returned no handle") }
        let ranker = BoostedRanker(handle: booster, featureNames: examples.featureNames)
        for (key, value) in configuration.boosterParameters { try check(XGBoosterSetParam(booster, key, value), "set \(key)") }
        for round in 0..<configuration.rounds {
            try check(XGBoosterUpdateOneIter(booster, Int32(round), matrix.handle), "boosting round \(round)")
        }
        ranker.readEnsemble()
        return ranker
    }

    /// Loads a booster written by ``serialized()``, scoring on `threads` threads.
    /// - Throws: a ``TacitError`` when XGBoost cannot read the bytes.
    public convenience init(serialized bytes: [UInt8], featureNames: [String], threads: Int = 1) throws(TacitError) {
        var booster: BoosterHandle?
        try Self.check(XGBoosterCreate(nil, 0, &booster), "create booster")
        guard let booster else { throw .invalidArgument("xgboost: create booster returned no handle") }
        self.init(handle: booster, featureNames: featureNames)
        try Self.check(bytes.withUnsafeBytes { XGBoosterLoadModelFromBuffer(booster, $0.baseAddress, bst_ulong($0.count)) }, "load model")
        try Self.check(XGBoosterSetParam(booster, "nthread", "\(max(1, threads))"), "set nthread")
        readEnsemble()
    }

    /// The booster as XGBoost's universal binary JSON.
    public func serialized() -> [UInt8] {
        lock.withLock {
            var length: bst_ulong = 0
            var bytes: UnsafePointer<CChar>?
            guard XGBoosterSaveModelToBuffer(handle, #"{"format": "ubj"}"#, &length, &bytes) == 0, let bytes else { return [] }
            return bytes.withMemoryRebound(to: UInt8.self, capacity: Int(length)) { Array(UnsafeBufferPointer(start: $0, count: Int(length))) }
        }
    }

    /// The score of each of `count` rows of `rows` (row-major, `featureNames.count` columns,
    /// `.nan` for a missing value); higher ranks first. A model trained with margins needs each
    /// row's margin here too (its score is the margin plus the trees').
    /// - Precondition: `rows.count == count * featureNames.count`, and `margins` is empty or
    ///   has `count` values (checked).
    public func scores(_ rows: UnsafeBufferPointer<Float>, count: Int, margins: [Float] = []) -> [Float] {
        if let ensemble { return ensemble.scores(rows, count: count, margins: margins) }
        return xgboostScores(rows, count: count, margins: margins)
    }

    /// The same scores by XGBoost's in-place prediction (the walker's reference, and the scorer
    /// of a model the walker does not cover).
    public func xgboostScores(_ rows: UnsafeBufferPointer<Float>, count: Int, margins: [Float] = []) -> [Float] {
        precondition(rows.count == count * featureNames.count, "rows do not match the features")
        precondition(margins.isEmpty || margins.count == count, "margins do not match the rows")
        guard count > 0, let base = rows.baseAddress else { return [] }
        let zeros = [Float](repeating: 0, count: count)
        // In-place prediction from the caller's rows: no DMatrix is built, and XGBoost (since 1.4)
        // predicts from several threads at once, each into its own buffer.
        let values = #"{"data": [\#(UInt(bitPattern: base)), true], "shape": [\#(count), \#(featureNames.count)], "typestr": "<f4", "version": 3}"#
        let config = #"{"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0, "strict_shape": false, "missing": NaN, "cache_id": 0}"#
        var proxy: DMatrixHandle?
        if !margins.isEmpty {
            guard XGProxyDMatrixCreate(&proxy) == 0, let proxy else { return zeros }
            let set = margins.withUnsafeBufferPointer { XGDMatrixSetFloatInfo(proxy, "base_margin", $0.baseAddress, bst_ulong($0.count)) }
            guard set == 0 else { XGDMatrixFree(proxy); return zeros }
        }
        defer { if let proxy { XGDMatrixFree(proxy) } }
        var shape: UnsafePointer<bst_ulong>?
        var dimension: bst_ulong = 0
        var result: UnsafePointer<Float>?
        guard XGBoosterPredictFromDense(handle, values, config, proxy, &shape, &dimension, &result) == 0, let result else { return zeros }
        return Array(UnsafeBufferPointer(start: result, count: count))
    }

    /// The same scores through a DMatrix (XGBoost's other prediction path), for tests to compare.
    func dmatrixScores(_ rows: UnsafeBufferPointer<Float>, count: Int) -> [Float] {
        lock.withLock {
            guard count > 0, let matrix = try? Matrix(rows: rows, count: count, columns: featureNames.count) else { return [] }
            var shape: UnsafePointer<bst_ulong>?
            var dimension: bst_ulong = 0
            var result: UnsafePointer<Float>?
            let config = #"{"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0, "strict_shape": false}"#
            guard XGBoosterPredictFromDMatrix(handle, matrix.handle, config, &shape, &dimension, &result) == 0, let result else { return [] }
            return Array(UnsafeBufferPointer(start: result, count: count))
        }
    }

    /// The scores of rows given as an array (with their margins, if the model was trained with them).
    public func scores(_ rows: [Float], margins: [Float] = []) -> [Float] {
        rows.withUnsafeBufferPointer { scores($0, count: featureNames.isEmpty ? 0 : $0.count / featureNames.count, margins: margins) }
    }

    /// Each feature's total gain over the splits that use it (features never split on are 0),
    /// in ``featureNames`` order.
    public func totalGain() -> [Double] {
        lock.withLock {
            let names = featureNames.map { "\"\($0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\"" }
            let config = #"{"importance_type": "total_gain", "feature_names": ["# + names.joined(separator: ", ") + "]}"
            var count: bst_ulong = 0, dimension: bst_ulong = 0
            var features: UnsafeMutablePointer<UnsafePointer<CChar>?>?
            var shape: UnsafePointer<bst_ulong>?
            var values: UnsafePointer<Float>?
            var gains = [Double](repeating: 0, count: featureNames.count)
            guard XGBoosterFeatureScore(handle, config, &count, &features, &dimension, &shape, &values) == 0, let features, let values else { return gains }
            let index = Dictionary(featureNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            for k in 0..<Int(count) {
                guard let name = features[k], let column = index[String(cString: name)] else { continue }
                gains[column] = Double(values[k])
            }
            return gains
        }
    }

    static func check(_ code: Int32, _ what: String) throws(TacitError) {
        guard code == 0 else { throw .invalidArgument("xgboost: \(what) failed: \(String(cString: XGBGetLastError()))") }
    }

    /// An XGBoost dense matrix (NaN = missing), freed with its owner.
    private final class Matrix {
        let handle: DMatrixHandle

        init(rows: UnsafeBufferPointer<Float>, count: Int, columns: Int) throws(TacitError) {
            var out: DMatrixHandle?
            try BoostedRanker.check(XGDMatrixCreateFromMat(rows.baseAddress, bst_ulong(count), bst_ulong(columns), .nan, &out), "create matrix")
            guard let out else { throw .invalidArgument("xgboost: create matrix returned no handle") }
            handle = out
        }

        /// Sets each row's starting score (`base_margin`).
        func setMargins(_ margins: [Float]) throws(TacitError) {
            try BoostedRanker.check(margins.withUnsafeBufferPointer { XGDMatrixSetFloatInfo(handle, "base_margin", $0.baseAddress, bst_ulong($0.count)) },
                                    "set margins")
        }

        deinit { XGDMatrixFree(handle) }
    }
}
