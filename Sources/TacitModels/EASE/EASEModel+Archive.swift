import TacitCore

/// Model file sections: λ, the recency half-life, the input mode (0 binary, 1 confidence), then
/// `B` (`items²` Floats), which comes back as a buffer pointing into the memory-mapped file.
extension EASEModel: PersistableModel {
    public func archive(into writer: inout ArchiveWriter) {
        writer.write(lambda)
        writer.write(recency)
        writer.write(input == .binary ? 0 : 1)
        writer.write(buffer: weights.buffer)
    }

    public static func unarchive(from reader: inout ArchiveReader, trainingData: InteractionMatrix) throws(TacitError) -> EASEModel {
        let lambda = try reader.readDouble()
        let recency = try reader.readDouble()
        let code = try reader.readInt()
        guard code == 0 || code == 1 else { throw reader.formatError("unknown EASE input mode \(code)") }
        let n = trainingData.itemCount
        let weights: StorageBuffer<Float> = try reader.read(count: n * n, what: "EASE weights")
        return EASEModel(trainingData: trainingData, weights: weights, input: code == 0 ? .binary : .confidence, lambda: lambda,
                         recency: recency)
    }
}
