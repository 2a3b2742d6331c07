import TacitCore
import TacitNeural

extension SASRecModel: PersistableModel {
    /// The separator of names in string sections (ASCII unit separator).
    static let separator: Character = "\u{1F}"

    /// Sections: the network shape (6 integers); the dropout rate; the kind names (one string);
    /// the parameter names (one string); each parameter's values in order (the item embedding as
    /// a table at the file's precision); the user states (a table).
    public func archive(into writer: inout ArchiveWriter) {
        writer.write(array: network.shape.integers)
        writer.write(Double(network.dropout.rate))
        writer.write(string: kinds.map(\.name).joined(separator: String(Self.separator)))
        writer.write(string: network.parameters.parameters.map(\.name).joined(separator: String(Self.separator)))
        for parameter in network.parameters.parameters {
            let values = UnsafeBufferPointer(rebasing: parameter.values.buffer[0..<parameter.count])
            if parameter === network.itemEmbedding { writer.write(table: values, width: dimension) } else { writer.write(buffer: values) }
        }
        writer.write(table: userStates.buffer, width: dimension)
    }

    public static func unarchive(from reader: inout ArchiveReader, trainingData: InteractionMatrix) throws(TacitError) -> SASRecModel {
        let integers: StorageBuffer<Int64> = try reader.read(count: 6, what: "SASRec shape")
        guard let shape = SASRecNetwork.Shape(integers: integers.array), shape.items == trainingData.itemCount else {
            throw reader.formatError("SASRec shape does not match the training data")
        }
        let dropout = try reader.readDouble()
        guard dropout >= 0, dropout < 1 else { throw reader.formatError("invalid SASRec dropout \(dropout)") }
        let kindText = try reader.readString()
        let kinds = kindText.isEmpty ? [] : kindText.split(separator: separator, omittingEmptySubsequences: false).map { EventKind(String($0)) }
        guard kinds.count == shape.kinds else { throw reader.formatError("SASRec kinds do not match the network shape") }
        let network = SASRecNetwork(shape, dropout: Float(dropout), seed: 0)
        guard try reader.readString() == network.parameters.parameters.map(\.name).joined(separator: String(separator)) else {
            throw reader.formatError("SASRec parameters differ from this build's network")
        }
        for parameter in network.parameters.parameters {
            let values: StorageBuffer<Float> = parameter === network.itemEmbedding
                ? try reader.readTable(rows: parameter.count / shape.dimension, width: shape.dimension, what: parameter.name)
                : try reader.read(count: parameter.count, what: parameter.name)
            parameter.values.pointer.update(from: values.buffer.baseAddress!, count: parameter.count)
        }
        let states = try reader.readTable(rows: trainingData.userCount, width: shape.dimension, what: "user states")
        return SASRecModel(trainingData: trainingData, network: network, kinds: kinds, userStates: states)
    }
}
