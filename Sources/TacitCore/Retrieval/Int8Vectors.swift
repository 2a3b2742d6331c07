import CTacitKernels

/// Vectors stored as int8 codes with one scale per vector: `x ≈ scale · code`, each code in
/// [-127, 127] (`round(xᵢ · 127 / max |xᵢ|)`) and `scale` the codes' least-squares scale
/// (``ScaleRule``), so a vector's norm survives quantisation (a code
/// table without per-vector scales ranks large-norm and small-norm items alike). Laid out in
/// tiles of 16 vectors for the int8 kernels (`tacit_i8_scores`: AVX-512 VNNI, AVX2, baseline,
/// chosen at run time), 4× smaller than the float table.
public struct Int8Vectors: Sendable {
    /// The number of vectors and their dimension.
    public let count: Int, dimension: Int
    /// The codes in the kernels' tiled layout (``count`` rounded up to 16 vectors).
    let table: [Int8]
    /// Each vector's scale.
    public let scales: [Float]

    /// Quantises `count` vectors of `dimension` floats (row-major).
    public init(_ vectors: UnsafeBufferPointer<Float>, dimension: Int) {
        precondition(dimension > 0 && vectors.count % dimension == 0, "vectors do not match the dimension")
        let count = vectors.count / dimension
        self.count = count
        self.dimension = dimension
        var codes = [Int8](repeating: 0, count: count * dimension), scales = [Float](repeating: 0, count: count)
        codes.withUnsafeMutableBufferPointer { out in
            guard let base = vectors.baseAddress, let target = out.baseAddress else { return }
            for i in 0..<count { scales[i] = Self.quantize(base + i * dimension, count: dimension, into: target + i * dimension) }
        }
        self.scales = scales
        table = [Int8](unsafeUninitializedCapacity: max(1, tacit_i8_table_count(count, dimension))) { buffer, initialized in
            let size = tacit_i8_table_count(count, dimension)
            codes.withUnsafeBufferPointer { tacit_i8_prepare_table($0.baseAddress, count, dimension, buffer.baseAddress) }
            initialized = size
        }
    }

    /// How a vector's scale is chosen once its codes are `round(x / step)`, `step = max |xᵢ| / 127`.
    public enum ScaleRule: Sendable {
        /// `step` itself: a vector already rounded to `scale · codes` rounds to the same codes and
        /// scale again, bit for bit (what stored tables need: ``TablePrecision``).
        case step
        /// The least-squares scale of the codes, `x·q / q·q`: `scale · q` is the projection of `x`
        /// onto its codes, closer to `x` than `step · q` (what scoring wants; recall@10 of the
        /// int8 scan on ML-1M two-tower vectors 0.9895 → 0.9907).
        case leastSquares
    }

    /// Writes the codes of `x` (`count` floats) to `codes` and returns the scale (0 for a zero
    /// or non-finite vector, whose codes are all 0).
    @discardableResult
    public static func quantize(_ x: UnsafePointer<Float>, count: Int, into codes: UnsafeMutablePointer<Int8>,
                                scale rule: ScaleRule = .leastSquares) -> Float {
        var largest: Float = 0
        for d in 0..<count { largest = max(largest, abs(x[d])) }
        guard largest > 0, largest.isFinite else {
            codes.update(repeating: 0, count: count)
            return 0
        }
        let step = largest / 127
        var xq: Double = 0, qq: Double = 0
        for d in 0..<count {
            let q = max(-127, min(127, (x[d] / step).rounded()))
            codes[d] = Int8(q)
            xq += Double(x[d]) * Double(q)
            qq += Double(q) * Double(q)
        }
        // qq ≥ 127² and xq > 0: the largest entry's code is ±127 with its sign.
        return rule == .step ? step : Float(xq / qq)
    }

    /// A query quantised for ``scores(of:tiles:into:)``: its codes (padded to a multiple of 4)
    /// and scale.
    public struct Query: Sendable {
        let codes: [Int8]
        public let scale: Float

        /// Quantises `query` (`dimension` floats).
        public init(_ query: UnsafePointer<Float>, dimension: Int) {
            var codes = [Int8](repeating: 0, count: (dimension + 3) / 4 * 4)
            scale = codes.withUnsafeMutableBufferPointer { Int8Vectors.quantize(query, count: dimension, into: $0.baseAddress!) }
            self.codes = codes
        }
    }

    /// The number of 16-vector tiles.
    public var tiles: Int { (count + 15) / 16 }

    /// The approximate inner products `query.scale · scaleᵢ · (query codes · codesᵢ)` of the
    /// vectors of `tiles` (16 per tile; vectors past ``count`` score 0), written to `scores`
    /// (`16 · tiles.count` floats); `integers` is scratch of the same length.
    /// - Complexity: O(16 · tiles · dimension) integer multiply-adds.
    public func scores(of query: Query, tiles: Range<Int>, into scores: UnsafeMutablePointer<Float>, integers: UnsafeMutablePointer<Int32>) {
        guard !tiles.isEmpty, tiles.lowerBound >= 0, tiles.upperBound <= self.tiles else { return }
        let groups = (dimension + 3) / 4
        table.withUnsafeBufferPointer { table in
            query.codes.withUnsafeBufferPointer { codes in
                tacit_i8_scores(codes.baseAddress, table.baseAddress! + tiles.lowerBound * groups * 64, tiles.count, dimension, integers)
            }
        }
        let first = tiles.lowerBound * 16
        for k in 0..<(tiles.count * 16) {
            let i = first + k
            scores[k] = i < count ? query.scale * scales[i] * Float(integers[k]) : 0
        }
    }

    /// The approximate inner product of `query` with every vector (``count`` floats in `scores`).
    public func scores(of query: Query, into scores: UnsafeMutablePointer<Float>) {
        let total = tiles * 16
        withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, total)) { all in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: max(1, total)) { integers in
                self.scores(of: query, tiles: 0..<tiles, into: all.baseAddress!, integers: integers.baseAddress!)
            }
            scores.update(from: all.baseAddress!, count: count)
        }
    }

    /// The exact integer products of `query`'s codes with every vector's through one kernel path
    /// (0 baseline, 1 AVX2, 2 AVX-512 VNNI); nil where the CPU lacks it. For tests: every path
    /// must give the same numbers.
    func integerScores(of query: Query, path: Int32) -> [Int32]? {
        var out = [Int32](repeating: 0, count: max(1, tiles * 16))
        let ran = table.withUnsafeBufferPointer { table in
            query.codes.withUnsafeBufferPointer { codes in
                out.withUnsafeMutableBufferPointer { tacit_i8_scores_with(path, codes.baseAddress, table.baseAddress, tiles, dimension, $0.baseAddress) }
            }
        }
        return ran == 1 ? Array(out.prefix(count)) : nil
    }

    /// The name of the kernel path this CPU uses.
    public static var kernelPath: String { String(cString: tacit_i8_isa()) }

    /// Bytes held by the codes and scales.
    public var bytes: Int { table.count + scales.count * MemoryLayout<Float>.size }
}
