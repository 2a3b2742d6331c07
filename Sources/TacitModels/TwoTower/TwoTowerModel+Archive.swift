import TacitCore
import TacitNeural

extension TwoTowerModel: PersistableModel {
    /// The separator of vocabulary tokens in their string sections (ASCII unit separator).
    static let separator: Character = "\u{1F}"

    /// The newest layout of the two-tower sections. Layout 4 added the hash buckets to the shape
    /// (an 11th integer); a model without hashed tables is written as layout 3 (or 2, without
    /// the recent-items part), byte for byte what builds before it wrote and read. Layout 3 added
    /// the recent-items part to the shape (a 10th integer); layout 2 added the numeric
    /// user-attribute columns; layout 1 files (whose first section is the 9-integer shape) are
    /// refused with a message to retrain.
    static let layout: Int64 = 4

    /// The layout a model is written in: the oldest that holds its shape.
    static func layout(of shape: TwoTowerNetwork.Shape) -> Int64 { shape.hashBuckets > 0 ? 4 : shape.recent > 0 ? 3 : 2 }

    /// The shape integers of each layout.
    static func shapeCount(layout: Int64) -> Int { TwoTowerNetwork.Shape.integerCount - Int(layout == 2 ? 2 : layout == 3 ? 1 : 0) }

    /// Sections: `[layout]`; the network shape (11 integers, 10 in layout 3, 9 in layout 2); `[historyLength, has
    /// prices]`; `[temperature]`; the category, brand, tag and user-attribute vocabularies (one
    /// string each); the price boundaries; the numeric user columns' names (one string), their
    /// boundary counts and their boundaries (concatenated); the parameter names (one string); each
    /// parameter's values in order; the user embeddings and the item embeddings (tables at the
    /// file's precision). A hashed vocabulary is written as an empty string (its rows are the
    /// shape's count); the id tables' rows are the hashes of the training data's ids, so nothing
    /// more is kept.
    public func archive(into writer: inout ArchiveWriter) {
        let layout = Self.layout(of: network.shape)
        writer.write(array: [layout])
        writer.write(array: network.shape.integers.prefix(Self.shapeCount(layout: layout)))
        writer.write(array: [Int64(settings.historyLength), features.priceBuckets > 0 ? 1 : 0])
        writer.write(Double(settings.temperature))
        for vocabulary in [features.categories, features.brands, features.tags, features.userAttributes] {
            writer.write(string: vocabulary.tokens.joined(separator: String(Self.separator)))
        }
        writer.write(array: features.priceBoundaries)
        let numeric = features.userEncoding.numeric
        writer.write(string: numeric.map(\.name).joined(separator: String(Self.separator)))
        writer.write(array: numeric.map { Int64($0.boundaries.count) })
        writer.write(array: numeric.flatMap(\.boundaries))
        writer.write(string: network.parameters.parameters.map(\.name).joined(separator: String(Self.separator)))
        for parameter in network.parameters.parameters {
            writer.write(buffer: UnsafeBufferPointer(rebasing: parameter.values.buffer[0..<parameter.count]))
        }
        writer.write(table: userEmbeddings.buffer, width: dimension)
        writer.write(table: scorer.itemFactors.buffer, width: dimension)
    }

    public static func unarchive(from reader: inout ArchiveReader, trainingData: InteractionMatrix) throws(TacitError) -> TwoTowerModel {
        let head: StorageBuffer<Int64> = try reader.read()
        guard head.count == 1 else {
            throw reader.formatError("two-tower model file of an older layout (before user-attribute buckets, layout 2): retrain it with this build")
        }
        guard (2...layout).contains(head[0]) else {
            throw reader.formatError("two-tower layout \(head[0]) is not readable by this build (it reads layouts 2 to \(layout))")
        }
        let shapeCount = shapeCount(layout: head[0])
        let integers: StorageBuffer<Int64> = try reader.read(count: shapeCount, what: "two-tower shape")
        let missing = [Int64](repeating: 0, count: TwoTowerNetwork.Shape.integerCount - shapeCount)
        guard let shape = TwoTowerNetwork.Shape(integers: integers.array + missing), shape.users == trainingData.userCount,
              shape.items == trainingData.itemCount else { throw reader.formatError("two-tower shape does not match the training data") }
        let flags: StorageBuffer<Int64> = try reader.read(count: 2, what: "two-tower settings")
        let temperature = try reader.readDouble()
        guard flags[0] >= 1, temperature > 0, temperature.isFinite else { throw reader.formatError("invalid two-tower settings") }
        var vocabularies: [TwoTowerFeatures.Vocabulary] = []
        for rows in [shape.categories, shape.brands, shape.tags, shape.userAttributes] {
            let text = try reader.readString()
            if text.isEmpty, rows > 0, let hashing = shape.hashing, rows == hashing.buckets {
                vocabularies.append(.init(hashing: hashing))
            } else {
                vocabularies.append(.init(text.isEmpty ? [] : text.split(separator: separator, omittingEmptySubsequences: false).map(String.init)))
            }
        }
        let boundaries: StorageBuffer<Double> = try reader.read()
        let features = TwoTowerFeatures(categories: vocabularies[0], brands: vocabularies[1], tags: vocabularies[2],
                                        userAttributes: vocabularies[3], priceBoundaries: boundaries.array, hasPrices: flags[1] == 1,
                                        userEncoding: try readUserEncoding(from: &reader),
                                        itemRows: IDRows(trainingData.items, hashing: shape.hashing),
                                        userRows: IDRows(trainingData.users, hashing: shape.hashing))
        guard features.categories.count == shape.categories, features.brands.count == shape.brands, features.tags.count == shape.tags,
              features.userAttributes.count == shape.userAttributes, features.priceBuckets == shape.priceBuckets else {
            throw reader.formatError("two-tower vocabularies do not match the network shape")
        }
        // A hashed vocabulary's rows come from the shape alone: the file must hold their values
        // before they are allocated.
        let (tableValues, overflow) = shape.embeddingRows.multipliedReportingOverflow(by: shape.dimension * MemoryLayout<Float>.stride)
        guard !overflow, tableValues <= reader.remainingBytes else {
            throw reader.formatError("two-tower shape of \(shape.embeddingRows) embedding rows is larger than the file")
        }
        let network = TwoTowerNetwork(shape, seed: 0)
        let names = try reader.readString()
        guard names == network.parameters.parameters.map(\.name).joined(separator: String(separator)) else {
            throw reader.formatError("two-tower parameters differ from this build's network")
        }
        for parameter in network.parameters.parameters {
            let values: StorageBuffer<Float> = try reader.read(count: parameter.count, what: parameter.name)
            parameter.values.pointer.update(from: values.buffer.baseAddress!, count: parameter.count)
        }
        let d = shape.dimension
        let users = try reader.readTable(rows: trainingData.userCount, width: d, what: "user embeddings")
        let items = try reader.readTable(rows: trainingData.itemCount, width: d, what: "item embeddings")
        return TwoTowerModel(trainingData: trainingData, network: network, features: features,
                             settings: Settings(historyLength: Int(flags[0]), temperature: Float(temperature)),
                             userEmbeddings: users, itemEmbeddings: items)
    }

    /// The numeric user columns written by ``archive(into:)``.
    private static func readUserEncoding(from reader: inout ArchiveReader) throws(TacitError) -> UserAttributeEncoding {
        let text = try reader.readString()
        let names = text.isEmpty ? [] : text.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
        let counts: StorageBuffer<Int64> = try reader.read(count: names.count, what: "numeric user-attribute boundary counts")
        let values: StorageBuffer<Double> = try reader.read()
        var columns: [UserAttributeEncoding.NumericColumn] = [], start = 0
        for (name, count) in zip(names, counts.array) {
            guard count >= 0, count <= Int64(values.count - start) else { break }
            columns.append(.init(name: name, boundaries: Array(values.buffer[start..<(start + Int(count))])))
            start += Int(count)
        }
        guard columns.count == names.count, start == values.count else {
            throw reader.formatError("numeric user-attribute boundaries do not match their counts")
        }
        return UserAttributeEncoding(numeric: columns)
    }
}
