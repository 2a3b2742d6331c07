extension EventLog {
    /// Reads the events saved in a matrix file written by `tacit import --output`
    /// (``InteractionMatrix/save(to:events:)``), so the file is accepted wherever events are read.
    ///
    /// - Throws: `TacitError.format` for a corrupt file, or for a matrix file that holds no
    ///   events (format version 1, or written without them): such a file keeps only weighted
    ///   pairs, and the message says to import the events again.
    public static func load(fromArchive path: String, verify: Bool = true) throws(TacitError) -> EventLog {
        var reader = try ArchiveReader(path: path, magic: InteractionMatrix.archiveMagic,
                                       supportedVersions: InteractionMatrix.readableArchiveVersions, verify: verify)
        _ = try reader.readMatrix()
        guard reader.version >= 2, try reader.readInt() == 1 else {
            throw reader.formatError("holds only a weighted matrix, not the events it was built from; run `tacit import --output` again with this build to get a file that every command reads")
        }
        return try reader.readEventLog()
    }
}

extension ArchiveWriter {
    /// Appends an event log: id maps, kind names, then one section per column.
    public mutating func write(_ log: EventLog) {
        write(log.users)
        write(log.items)
        write(log.kinds.count)
        for kind in log.kinds { write(string: kind.name) }
        write(array: log.userIndices)
        write(array: log.itemIndices)
        write(array: log.kindCodes)
        write(array: log.timestamps)
        write(array: log.values)
    }
}

extension ArchiveReader {
    /// Reads an event log written by ``ArchiveWriter/write(_:)-(EventLog)``, checking every
    /// index against its table so that a corrupt file cannot send a lookup out of range.
    public mutating func readEventLog() throws(TacitError) -> EventLog {
        var log = EventLog()
        log.users = try readIDMap()
        log.items = try readIDMap()
        let kindCount = try readInt()
        guard (0...Int(UInt16.max)).contains(kindCount) else { throw formatError("bad number of event kinds \(kindCount)") }
        for _ in 0..<kindCount { log.kinds.append(EventKind(try readString())) }
        let users: StorageBuffer<Int32> = try read()
        let count = users.count
        let items: StorageBuffer<Int32> = try read(count: count, what: "event items")
        let kinds: StorageBuffer<UInt16> = try read(count: count, what: "event kinds")
        let timestamps: StorageBuffer<Int64> = try read(count: count, what: "event times")
        let values: StorageBuffer<Float> = try read(count: count, what: "event values")
        let userCount = Int32(clamping: log.users.count), itemCount = Int32(clamping: log.items.count)
        guard users.buffer.allSatisfy({ $0 >= 0 && $0 < userCount }), items.buffer.allSatisfy({ $0 >= 0 && $0 < itemCount }),
              kinds.buffer.allSatisfy({ Int($0) < kindCount })
        else { throw formatError("event index out of range") }
        log.userIndices = users.array
        log.itemIndices = items.array
        log.kindCodes = kinds.array
        log.timestamps = timestamps.array
        log.values = values.array
        return log
    }
}
