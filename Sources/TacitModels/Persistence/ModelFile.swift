import Foundation
import TacitCore

/// Tacit's model file: a fitted model with its name, parameters and training data, in the
/// versioned, checksummed binary format of ``ArchiveWriter``, memory-mapped when loaded.
///
/// Layout after the archive header (`TACITMD1`, version ``version``): a JSON metadata string
/// (`{"model": ..., "parameters": {...}, "weighting": {...}, "format": 1}`), the training ``InteractionMatrix``, then
/// the model's own sections (``PersistableModel/archive(into:)``); user and item tables are int8
/// codes with a scale per vector when the parameters say `precision: int8`. A model saved with its
/// retrieval indexes attached (``RetrievalSettings``) keeps them after its sections, so a load
/// does not build them again. A file written by another
/// format version, truncated, or with a bad checksum is refused with a message naming the file.
public enum ModelFile {
    /// The magic bytes of a model file.
    public static let magic = "TACITMD1"
    /// The format version this build writes and reads.
    public static let version: UInt32 = 1

    /// What a model file holds once loaded.
    public struct Contents: Sendable {
        /// The model's descriptor (its name, parameters and capabilities).
        public let descriptor: ModelDescriptor
        /// The parameters it was trained with.
        public let parameters: Parameters
        /// The fitted model; cast to ``FoldIn`` or ``ItemSimilarity`` for those capabilities.
        public let model: any Recommender
        /// The weighting policy that built the training matrix (apply it to new events), when saved.
        public let weighting: WeightingPolicy?
    }

    struct Metadata: Codable {
        var model: String
        var parameters: Parameters
        var weighting: WeightingPolicy?
        var format: UInt32
    }

    /// Saves `model`, fitted by the descriptor named `name` with `parameters` on data weighted by
    /// `weighting`, to `path` (atomically: written to a temporary file, then renamed).
    public static func save(_ model: any Recommender, name: String, parameters: Parameters, weighting: WeightingPolicy? = nil,
                            to path: String) throws(TacitError) {
        guard let persistable = model as? any PersistableModel else {
            throw .invalidArgument("model '\(name)' cannot be saved to a model file")
        }
        let metadata = Metadata(model: name, parameters: parameters, weighting: weighting, format: version)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let json = try? encoder.encode(metadata) else { throw .invalidArgument("cannot encode the parameters of '\(name)'") }
        let precision = try tablePrecision(parameters) ?? .f32
        var writer = try ArchiveWriter(path: path, magic: magic, version: version)
        writer.tablePrecision = precision
        writer.write(string: String(decoding: json, as: UTF8.self))
        writer.write(model.trainingData)
        persistable.archive(into: &writer)
        if let scorer = (model as? any InnerProductModel)?.scorer, let index = scorer.index, let similar = scorer.similarIndex {
            writer.write(string: indexTag)
            index.archive(into: &writer)
            similar.archive(into: &writer)
        }
        try writer.finish()
    }

    /// The section that starts a saved index.
    static let indexTag = "retrieval-index"

    /// `model` retrieving through the indexes read from its file; a format error when they were
    /// not built over its items.
    private static func attaching<Model: InnerProductModel>(_ index: MIPSIndex, similar: MIPSIndex, to model: Model,
                                                           path: String) throws(TacitError) -> Model {
        let scorer = model.scorer.withIndex(index, similar: similar)
        guard scorer.index != nil, scorer.similarIndex != nil else { throw .format(path: path, reason: "the saved index does not match the model's items") }
        return model.replacing(scorer: scorer)
    }

    /// How the model's user and item tables are stored: its `precision` parameter (als, bpr,
    /// twotower, sasrec); nil for a model without one (f32).
    static func tablePrecision(_ parameters: Parameters) throws(TacitError) -> TablePrecision? {
        guard let value = parameters["precision"] else { return nil }
        guard case let .choice(name) = value, let precision = TablePrecision(rawValue: name) else {
            throw .invalidArgument("precision must be one of \(TablePrecision.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return precision
    }

    /// Loads a model file written by ``save(_:name:parameters:to:)``.
    /// - Parameter verify: check the checksum (reads the whole file once).
    public static func load(from path: String, verify: Bool = true) throws(TacitError) -> Contents {
        var reader = try ArchiveReader(path: path, magic: magic, supportedVersion: version, verify: verify)
        let text = try reader.readString()
        guard let metadata = try? JSONDecoder().decode(Metadata.self, from: Data(text.utf8)) else {
            throw .format(path: path, reason: "unreadable model metadata")
        }
        let descriptor: ModelDescriptor
        do { descriptor = try ModelCatalog.descriptor(named: metadata.model) } catch {
            throw .format(path: path, reason: "model '\(metadata.model)' is not known to this build of tacit")
        }
        guard let type = descriptor.modelType else {
            throw .format(path: path, reason: "model '\(metadata.model)' cannot be loaded from a model file")
        }
        do { reader.tablePrecision = try tablePrecision(metadata.parameters) ?? .f32 } catch {
            throw .format(path: path, reason: "unknown table precision in the model parameters")
        }
        let trainingData = try reader.readMatrix()
        var model: any Recommender = try type.unarchive(from: &reader, trainingData: trainingData)
        if !reader.isAtEnd {
            guard try reader.readString() == indexTag, let inner = model as? any InnerProductModel else {
                throw .format(path: path, reason: "unexpected sections after the model")
            }
            let index = try MIPSIndex.unarchive(from: &reader), similar = try MIPSIndex.unarchive(from: &reader)
            model = try attaching(index, similar: similar, to: inner, path: path)
        }
        return Contents(descriptor: descriptor, parameters: descriptor.normalized(metadata.parameters), model: model, weighting: metadata.weighting)
    }
}
