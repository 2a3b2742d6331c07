import CTacitKernels

extension MIPSIndex {
    /// The layout of ``archive(into:)``'s sections.
    static let archiveLayout: Int64 = 1

    /// Appends the index: `[layout, items, dimension, leaves, has leaf mates, configured leaves
    /// (-1: √n), iterations, sample per leaf, seed bits, probes (-1: default), rescore]`;
    /// `[spread, build seconds]`; the leaf means and radii; the tile starts; the slots; the codes'
    /// tiled table and scales; each item's nearest leaf mate (when built).
    public func archive(into writer: inout ArchiveWriter) {
        writer.write(array: [Self.archiveLayout, Int64(itemCount), Int64(dimension), Int64(leaves), leafNearest == nil ? 0 : 1,
                             Int64(configuration.leaves ?? -1), Int64(configuration.iterations), Int64(configuration.samplePerLeaf),
                             Int64(bitPattern: configuration.seed), Int64(configuration.probes ?? -1), Int64(configuration.rescore)])
        writer.write(array: [configuration.spread, buildSeconds])
        writer.write(array: means)
        writer.write(array: radii)
        writer.write(array: tileStarts.map { Int64($0) })
        writer.write(array: slots)
        writer.write(array: codes.table)
        writer.write(array: codes.scales)
        if let leafNearest { writer.write(array: leafNearest) }
    }

    /// Reads an index written by ``archive(into:)``. Every section is checked before use — shapes,
    /// finite values, slots that hold each item exactly once, leaves and leaf mates in range — so
    /// a damaged or hostile file is a format error, never a trap in a later search.
    public static func unarchive(from reader: inout ArchiveReader) throws(TacitError) -> MIPSIndex {
        let head: StorageBuffer<Int64> = try reader.read(count: 11, what: "index header")
        guard head[0] == archiveLayout else { throw reader.formatError("index layout \(head[0]) is not readable by this build (it reads \(archiveLayout))") }
        let n = Int(head[1]), d = Int(head[2]), leaves = Int(head[3])
        guard n >= 0, n <= Int(Int32.max), (1...65_536).contains(d), leaves >= 1, leaves <= max(1, n), (0...1).contains(head[4]) else {
            throw reader.formatError("implausible index shape: \(n) items × \(d), \(leaves) leaves")
        }
        var configuration = Configuration()
        configuration.leaves = head[5] < 0 ? nil : Int(head[5])
        configuration.iterations = Int(head[6])
        configuration.samplePerLeaf = Int(head[7])
        configuration.seed = UInt64(bitPattern: head[8])
        configuration.probes = head[9] < 0 ? nil : Int(head[9])
        configuration.rescore = Int(head[10])
        let reals: StorageBuffer<Double> = try reader.read(count: 2, what: "index settings")
        configuration.spread = reals[0]
        guard configuration.spread.isFinite, reals[1].isFinite, configuration.rescore >= 1, (configuration.probes ?? 1) >= 1 else {
            throw reader.formatError("invalid index settings")
        }
        let means: StorageBuffer<Float> = try reader.read(count: leaves * d, what: "index leaf means")
        let radii: StorageBuffer<Float> = try reader.read(count: leaves, what: "index leaf radii")
        let starts: StorageBuffer<Int64> = try reader.read(count: leaves + 1, what: "index tile starts")
        let slots: StorageBuffer<Int32> = try reader.read()
        guard means.buffer.allSatisfy(\.isFinite), radii.buffer.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw reader.formatError("index leaf means or radii are not finite")
        }
        let (covered, overflow) = starts[leaves].multipliedReportingOverflow(by: 16)
        guard starts[0] == 0, zip(starts.buffer, starts.buffer.dropFirst()).allSatisfy({ $0 <= $1 }), !overflow, covered == Int64(slots.count) else {
            throw reader.formatError("index tile starts do not cover the slots")
        }
        let table: StorageBuffer<Int8> = try reader.read(count: tacit_i8_table_count(slots.count, d), what: "index codes")
        let scales: StorageBuffer<Float> = try reader.read(count: slots.count, what: "index scales")
        guard scales.buffer.allSatisfy({ $0.isFinite && $0 >= 0 }) else { throw reader.formatError("index scales are negative or not finite") }
        // Every item in exactly one slot.
        var placed = [Bool](repeating: false, count: n)
        for (s, slot) in slots.buffer.enumerated() where slot != -1 {
            let item = Int(slot)
            guard item >= 0, item < n, !placed[item] else { throw reader.formatError("index slot \(s) holds an item out of range or twice") }
            placed[item] = true
        }
        guard !placed.contains(false) else { throw reader.formatError("index slots leave out an item") }
        var nearest: [Int32]?
        if head[4] == 1 {
            let mates: StorageBuffer<Int32> = try reader.read(count: n, what: "index leaf mates")
            guard mates.buffer.enumerated().allSatisfy({ $1 == -1 || ($1 >= 0 && Int($1) < n && Int($1) != $0) }) else {
                throw reader.formatError("index leaf mates out of range")
            }
            nearest = mates.array
        }
        let codes = Int8Vectors(count: slots.count, dimension: d, table: table.array, scales: scales.array)
        return MIPSIndex(configuration: configuration, itemCount: n, dimension: d, means: means.array, radii: radii.array,
                         tileStarts: starts.buffer.map { Int($0) }, slots: slots.array, codes: codes, leafNearest: nearest, buildSeconds: reals[1])
    }

    /// An index from its parts (``unarchive(from:)``, after checking them).
    init(configuration: Configuration, itemCount: Int, dimension: Int, means: [Float], radii: [Float], tileStarts: [Int], slots: [Int32],
         codes: Int8Vectors, leafNearest: [Int32]?, buildSeconds: Double) {
        self.configuration = configuration
        self.itemCount = itemCount
        self.dimension = dimension
        self.means = means
        self.radii = radii
        self.tileStarts = tileStarts
        self.slots = slots
        self.codes = codes
        self.leafNearest = leafNearest
        self.buildSeconds = buildSeconds
        widestLeaf = zip(tileStarts, tileStarts.dropFirst()).reduce(0) { max($0, $1.1 - $1.0) } * 16
    }
}

extension Int8Vectors {
    /// Codes already in the kernels' tiled layout (a read index; shapes checked by the caller).
    init(count: Int, dimension: Int, table: [Int8], scales: [Float]) {
        self.count = count
        self.dimension = dimension
        self.table = table
        self.scales = scales
    }
}
