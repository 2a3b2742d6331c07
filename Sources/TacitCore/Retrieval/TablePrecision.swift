/// How a model's large float tables (user and item vectors) are kept: as they are (`f32`), or as
/// int8 codes with one scale per vector (`int8`: ``Int8Vectors/quantize(_:count:into:scale:)`` with the step scale, so
/// norms survive), a quarter of the bytes in a model file.
///
/// A model fitted with `int8` holds the values its file gives back (each code times its row's
/// scale), so what is evaluated after the fit is what is served after a load: a rounded row
/// quantises to the same codes and scale again (its largest value is `127·s`, and `(127·s)/127`
/// is `s` for every scale the quantiser gives — checked over every float mantissa of a binade).
public enum TablePrecision: String, Sendable, CaseIterable {
    case f32
    case int8

    /// `table` (rows of `width` floats) as this precision keeps it: itself for `f32`; for `int8`
    /// each row rounded to its codes times its scale.
    public func applied(to table: StorageBuffer<Float>, width: Int) -> StorageBuffer<Float> {
        guard self == .int8, width > 0, table.count > 0 else { return table }
        return StorageBuffer(count: table.count) { values in
            values.baseAddress!.update(from: table.buffer.baseAddress!, count: table.count)
            apply(to: values.baseAddress!, count: table.count, width: width)
        }
    }

    /// Rounds the table at `values` (`count` floats, rows of `width`) in place as this precision
    /// keeps it (nothing for `f32`).
    public func apply(to values: UnsafeMutablePointer<Float>, count: Int, width: Int) {
        guard self == .int8, width > 0 else { return }
        withUnsafeTemporaryAllocation(of: Int8.self, capacity: width) { codes in
            for r in 0..<(count / width) {
                let row = values + r * width
                Self.expand(codes.baseAddress!, scale: Int8Vectors.quantize(row, count: width, into: codes.baseAddress!, scale: .step), width: width,
                            into: row)
            }
        }
    }

    /// Each code times `scale`: the row an int8 table keeps.
    static func expand(_ codes: UnsafePointer<Int8>, scale: Float, width: Int, into row: UnsafeMutablePointer<Float>) {
        for d in 0..<width { row[d] = Float(codes[d]) * scale }
    }
}

extension ArchiveWriter {
    /// Appends a table of `width`-float rows at ``tablePrecision``: one section of floats, or for
    /// `int8` a section of one scale per row and one of the rows' codes (read back by
    /// ``ArchiveReader/readTable(rows:width:what:)`` at the same precision).
    public mutating func write(table: UnsafeBufferPointer<Float>, width: Int) {
        guard tablePrecision == .int8, width > 0 else { return write(buffer: table) }
        let rows = table.count / width
        var scales = [Float](repeating: 0, count: rows), codes = [Int8](repeating: 0, count: rows * width)
        codes.withUnsafeMutableBufferPointer { codes in
            for r in 0..<rows {
                scales[r] = Int8Vectors.quantize(table.baseAddress! + r * width, count: width, into: codes.baseAddress! + r * width, scale: .step)
            }
        }
        write(array: scales)
        write(array: codes)
    }
}

extension ArchiveReader {
    /// Reads a table of `rows` rows of `width` floats written by
    /// ``ArchiveWriter/write(table:width:)`` at ``tablePrecision``: `int8` codes come back as
    /// each code times its row's scale. A scale that is negative or not finite is a format error.
    public mutating func readTable(rows: Int, width: Int, what: String) throws(TacitError) -> StorageBuffer<Float> {
        let (count, overflow) = rows.multipliedReportingOverflow(by: width)
        guard rows >= 0, width >= 0, !overflow else { throw formatError("\(what): implausible shape \(rows) × \(width)") }
        guard tablePrecision == .int8, width > 0 else { return try read(count: count, what: what) }
        let scales: StorageBuffer<Float> = try read(count: rows, what: "\(what) (scales)")
        let codes: StorageBuffer<Int8> = try read(count: count, what: "\(what) (int8 codes)")
        guard scales.buffer.allSatisfy({ $0.isFinite && $0 >= 0 }) else { throw formatError("\(what): a scale is negative or not finite") }
        return StorageBuffer(count: count) { values in
            guard let codes = codes.buffer.baseAddress, let values = values.baseAddress else { return }
            for r in 0..<rows { TablePrecision.expand(codes + r * width, scale: scales[r], width: width, into: values + r * width) }
        }
    }
}
