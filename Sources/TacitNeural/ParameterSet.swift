import TacitCore

/// The parameters of one network, in creation order, initialised from one seed.
///
/// Each parameter draws its initial values from its own stream of the seed (stream = its
/// position), so adding a parameter never changes the initial values of the others.
public final class ParameterSet: @unchecked Sendable {
    // `@unchecked`: `parameters` is appended to only while the network is being built, before the
    // set is shared; afterwards it is read-only (the values inside change only through an optimizer
    // step, between parallel phases).
    public private(set) var parameters: [Parameter] = []
    /// The seed of the initial values.
    public let seed: UInt64

    public init(seed: UInt64) { self.seed = seed }

    /// Adds a parameter initialised by `initializer`. - Precondition: `name` is new.
    @discardableResult
    public func add(_ name: String, rows: Int, columns: Int, kind: Parameter.Kind = .dense, initializer: Initializer) -> Parameter {
        precondition(parameters.allSatisfy { $0.name != name }, "duplicate parameter '\(name)'")
        let values = FloatBuffer(count: rows * columns)
        var random = SeededGenerator.stream(seed: seed, index: UInt64(parameters.count))
        initializer.fill(UnsafeMutableBufferPointer(rebasing: values.buffer[0..<(rows * columns)]), rows: rows, columns: columns, random: &random)
        let parameter = Parameter(id: parameters.count, name: name, rows: rows, columns: columns, kind: kind, values: values)
        parameters.append(parameter)
        return parameter
    }

    /// The parameter named `name`, if any.
    public func parameter(named name: String) -> Parameter? { parameters.first { $0.name == name } }

    /// The total number of values.
    public var scalarCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// Every parameter's values, in order (for tests and snapshots).
    public var snapshot: [[Float]] { parameters.map(\.values.array) }

    /// Overwrites the values of each parameter from `values` (same order and sizes as ``snapshot``).
    /// - Throws: when a count differs.
    public func load(_ values: [[Float]]) throws(TacitError) {
        guard values.count == parameters.count else {
            throw .invalidArgument("expected \(parameters.count) parameter tensors, got \(values.count)")
        }
        for (parameter, v) in zip(parameters, values) {
            guard v.count == parameter.count else {
                throw .invalidArgument("parameter '\(parameter.name)': expected \(parameter.count) values, got \(v.count)")
            }
            _ = UnsafeMutableBufferPointer(rebasing: parameter.values.buffer[0..<parameter.count]).update(fromContentsOf: v)
        }
    }

    /// Copies the values of every parameter from `other`, a set built the same way.
    public func copyValues(from other: ParameterSet) {
        precondition(other.parameters.count == parameters.count, "parameter sets differ")
        for (a, b) in zip(parameters, other.parameters) {
            precondition(a.count == b.count, "parameter '\(a.name)' differs in size")
            a.values.pointer.update(from: b.values.pointer, count: a.count)
        }
    }
}
