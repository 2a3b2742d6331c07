extension InteractionMatrix {
    /// The file magic of a saved matrix.
    public static let archiveMagic = "TACITMX1"
    /// The current matrix file format version.
    public static let archiveVersion: UInt32 = 1

    /// Saves the matrix (CSR, CSC, timestamps and ids) in Tacit's versioned binary format.
    public func save(to path: String) throws(TacitError) {
        var writer = ArchiveWriter(magic: Self.archiveMagic, version: Self.archiveVersion)
        writer.write(users)
        writer.write(items)
        writer.write(buffer: rowPointers.buffer)
        writer.write(buffer: columnIndices.buffer)
        writer.write(buffer: values.buffer)
        writer.write(timestamps == nil ? 0 : 1)
        if let timestamps { writer.write(buffer: timestamps.buffer) }
        writer.write(buffer: columnPointers.buffer)
        writer.write(buffer: rowIndices.buffer)
        writer.write(buffer: columnValues.buffer)
        try writer.save(to: path)
    }

    /// Loads a saved matrix by memory-mapping it; the large arrays are not copied.
    /// A file of another format version or with a bad checksum is refused.
    public static func load(from path: String, verify: Bool = true) throws(TacitError) -> InteractionMatrix {
        var reader = try ArchiveReader(path: path, magic: archiveMagic, supportedVersion: archiveVersion, verify: verify)
        let users = try reader.readIDMap()
        let items = try reader.readIDMap()
        let rowPointers: StorageBuffer<Int> = try reader.read()
        let columnIndices: StorageBuffer<Int32> = try reader.read()
        let values: StorageBuffer<Float> = try reader.read()
        let timestamps: StorageBuffer<Int64>? = try reader.readInt() == 1 ? try reader.read() : nil
        let columnPointers: StorageBuffer<Int> = try reader.read()
        let rowIndices: StorageBuffer<Int32> = try reader.read()
        let columnValues: StorageBuffer<Float> = try reader.read()
        let nnz = columnIndices.count
        guard rowPointers.count == users.count + 1, columnPointers.count == items.count + 1,
              values.count == nnz, rowIndices.count == nnz, columnValues.count == nnz,
              timestamps == nil || timestamps!.count == nnz,
              rowPointers[users.count] == nnz, columnPointers[items.count] == nnz
        else { throw .format(path: path, reason: "inconsistent matrix sections") }
        return InteractionMatrix(
            users: users, items: items, rowPointers: rowPointers, columnIndices: columnIndices, values: values,
            timestamps: timestamps, columnPointers: columnPointers, rowIndices: rowIndices, columnValues: columnValues)
    }
}
