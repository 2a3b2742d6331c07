import TacitCore

extension ItemKNNModel: PersistableModel {
    public func archive(into writer: inout ArchiveWriter) {
        writer.write(recency)
        writer.write(array: neighborPointers.map { Int64($0) })
        writer.write(array: neighborItems)
        writer.write(array: neighborScores)
    }

    public static func unarchive(from reader: inout ArchiveReader, trainingData: InteractionMatrix) throws(TacitError) -> ItemKNNModel {
        let recency = try reader.readDouble()
        let pointers: StorageBuffer<Int64> = try reader.read(count: trainingData.itemCount + 1, what: "neighbour pointers")
        let links = Int(pointers[trainingData.itemCount])
        let items: StorageBuffer<Int32> = try reader.read(count: links, what: "neighbour items")
        let scores: StorageBuffer<Float> = try reader.read(count: links, what: "neighbour scores")
        guard items.buffer.allSatisfy({ $0 >= 0 && Int($0) < trainingData.itemCount }) else { throw reader.formatError("neighbour index out of range") }
        return ItemKNNModel(trainingData: trainingData, neighborPointers: pointers.buffer.map { Int($0) }, neighborItems: items.array,
                            neighborScores: scores.array, recency: recency)
    }
}
