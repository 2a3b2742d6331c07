extension InteractionMatrix {
    /// The file magic of a saved matrix.
    public static let archiveMagic = "TACITMX1"
    /// The current matrix file format version: 2 adds the events the matrix was built from
    /// after the matrix (a flag section, then the event log when the flag is 1).
    public static let archiveVersion: UInt32 = 2
    /// The format versions this build reads (version 1 files hold the matrix only).
    public static let readableArchiveVersions: ClosedRange<UInt32> = 1...2

    /// Saves the matrix (CSR, CSC, timestamps and ids) in Tacit's versioned binary format,
    /// followed by `events` when given (what `tacit import --output` writes, so that every
    /// command that reads events can read the file, see ``EventLog/load(fromArchive:verify:)``).
    public func save(to path: String, events: EventLog? = nil) throws(TacitError) {
        var writer = try ArchiveWriter(path: path, magic: Self.archiveMagic, version: Self.archiveVersion)
        writer.write(self)
        writer.write(events == nil ? 0 : 1)
        if let events { writer.write(events) }
        try writer.finish()
    }

    /// Loads a saved matrix by memory-mapping it; the large arrays are not copied.
    /// A file of another format version or with a bad checksum is refused.
    public static func load(from path: String, verify: Bool = true) throws(TacitError) -> InteractionMatrix {
        var reader = try ArchiveReader(path: path, magic: archiveMagic, supportedVersions: readableArchiveVersions, verify: verify)
        return try reader.readMatrix()
    }
}

extension ArchiveWriter {
    /// Appends a whole interaction matrix (ids, CSR, timestamps, CSC); model files embed their
    /// training data this way.
    public mutating func write(_ matrix: InteractionMatrix) {
        write(matrix.users)
        write(matrix.items)
        write(buffer: matrix.rowPointers.buffer)
        write(buffer: matrix.columnIndices.buffer)
        write(buffer: matrix.values.buffer)
        write(matrix.timestamps == nil ? 0 : 1)
        if let timestamps = matrix.timestamps { write(buffer: timestamps.buffer) }
        write(buffer: matrix.columnPointers.buffer)
        write(buffer: matrix.rowIndices.buffer)
        write(buffer: matrix.columnValues.buffer)
    }
}

extension ArchiveReader {
    /// Reads a matrix written by ``ArchiveWriter/write(_:)-(InteractionMatrix)``, checking that its sections agree.
    public mutating func readMatrix() throws(TacitError) -> InteractionMatrix {
        let users = try readIDMap()
        let items = try readIDMap()
        let rowPointers: StorageBuffer<Int> = try read()
        let columnIndices: StorageBuffer<Int32> = try read()
        let values: StorageBuffer<Float> = try read()
        let timestamps: StorageBuffer<Int64>? = try readInt() == 1 ? try read() : nil
        let columnPointers: StorageBuffer<Int> = try read()
        let rowIndices: StorageBuffer<Int32> = try read()
        let columnValues: StorageBuffer<Float> = try read()
        let nnz = columnIndices.count
        guard rowPointers.count == users.count + 1, columnPointers.count == items.count + 1,
              values.count == nnz, rowIndices.count == nnz, columnValues.count == nnz,
              timestamps == nil || timestamps!.count == nnz,
              rowPointers[users.count] == nnz, columnPointers[items.count] == nnz
        else { throw formatError("inconsistent matrix sections") }
        return InteractionMatrix(
            users: users, items: items, rowPointers: rowPointers, columnIndices: columnIndices, values: values,
            timestamps: timestamps, columnPointers: columnPointers, rowIndices: rowIndices, columnValues: columnValues)
    }
}
