import TacitCore

/// A fitted model that can be written to and read from a ``ModelFile``.
///
/// ``ModelFile`` writes the header, the model name, its parameters and the training matrix;
/// the model writes only its own fitted state, and reads it back in the same order. Large arrays
/// come back as ``StorageBuffer``s that point into the memory-mapped file.
public protocol PersistableModel: Recommender {
    /// Appends the fitted state (factors, neighbour lists, scores) to `writer`.
    func archive(into writer: inout ArchiveWriter)

    /// Reads the state written by ``archive(into:)``; `trainingData` is the embedded matrix.
    /// Sections of the wrong shape throw a format error naming the file.
    static func unarchive(from reader: inout ArchiveReader, trainingData: InteractionMatrix) throws(TacitError) -> Self
}
