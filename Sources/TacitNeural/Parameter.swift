import TacitCore

/// One trainable tensor: a row-major `rows x columns` block of `Float`s.
///
/// Dense parameters (layer weights, biases, norms) receive dense gradients; embedding tables
/// receive gradients only on the rows a batch touched (``SparseRowGradient``), and the optimizers
/// update just those rows (lazy updates).
public final class Parameter: Sendable {
    /// How gradients reach the parameter.
    public enum Kind: Sendable, Equatable {
        /// Every entry may receive gradient in every step.
        case dense
        /// A lookup table: a step touches a few rows.
        case embedding
    }

    /// The parameter's position in its ``ParameterSet``.
    public let id: Int
    /// A unique name (persistence matches on it).
    public let name: String
    public let rows: Int
    public let columns: Int
    public let kind: Kind
    /// The values, `rows · columns` floats.
    public let values: FloatBuffer

    init(id: Int, name: String, rows: Int, columns: Int, kind: Kind, values: FloatBuffer) {
        precondition(values.count == rows * columns, "parameter '\(name)': \(values.count) values for \(rows) x \(columns)")
        self.id = id
        self.name = name
        self.rows = rows
        self.columns = columns
        self.kind = kind
        self.values = values
    }

    /// The number of values.
    public var count: Int { rows * columns }

    /// The first value of row `r`.
    @inlinable public func row(_ r: Int) -> UnsafeMutablePointer<Float> { values.pointer + r * columns }
}

/// How a parameter's initial values are drawn.
public enum Initializer: Sendable, Equatable {
    case zeros
    case ones
    /// Uniform in `[-scale, scale)` (Keras' embedding default is `0.05`).
    case uniform(scale: Float)
    /// Normal with mean 0 and the given standard deviation.
    case normal(standardDeviation: Float)
    /// Glorot/Xavier uniform: `±√(6 / (rows + columns))` (Glorot & Bengio 2010), for dense weights.
    case glorotUniform

    func fill(_ values: UnsafeMutableBufferPointer<Float>, rows: Int, columns: Int, random: inout SeededGenerator) {
        switch self {
        case .zeros: values.update(repeating: 0)
        case .ones: values.update(repeating: 1)
        case let .uniform(scale):
            for i in values.indices { values[i] = Float(random.nextUnit() * 2 - 1) * scale }
        case let .normal(sd):
            for i in values.indices { values[i] = Float(random.nextGaussian()) * sd }
        case .glorotUniform:
            let limit = (6 / Double(max(1, rows + columns))).squareRoot()
            for i in values.indices { values[i] = Float((random.nextUnit() * 2 - 1) * limit) }
        }
    }
}
