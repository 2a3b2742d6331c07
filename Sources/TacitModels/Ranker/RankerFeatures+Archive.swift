import TacitCore

extension RankerFeatures {
    /// Writes what the features need beyond the sources: the activity kinds, the item
    /// attributes and the training events (histories and activity replay, with their times).
    func archiveState(into writer: inout ArchiveWriter) {
        writer.write(string: kinds.map(\.name).joined(separator: "\n"))
        writer.write(array: attributes.categories)
        writer.write(array: attributes.brands)
        writer.write(array: attributes.prices)
        Self.archive(replay.events, into: &writer)
    }

    /// Reads what ``archiveState(into:)`` wrote, checked against `data`: kinds, attributes and
    /// the events (which a loaded matrix does not carry).
    static func unarchiveState(from reader: inout ArchiveReader, data: InteractionMatrix) throws(TacitError)
        -> (kinds: [EventKind], attributes: RankerItemAttributes, events: EventSequences) {
        let kindText = try reader.readString()
        let kinds = kindText.isEmpty ? [] : kindText.split(separator: "\n", omittingEmptySubsequences: false).map { EventKind(String($0)) }
        let items = data.itemCount
        let categories: StorageBuffer<Int32> = try reader.read(count: items, what: "item categories")
        let brands: StorageBuffer<Int32> = try reader.read(count: items, what: "item brands")
        let prices: StorageBuffer<Float> = try reader.read(count: items, what: "item prices")
        let events = try unarchiveEvents(from: &reader, users: data.userCount, items: items)
        return (kinds, RankerItemAttributes(categories: categories.array, brands: brands.array, prices: prices.array), events)
    }

    private static func archive(_ events: EventSequences, into writer: inout ArchiveWriter) {
        writer.write(string: events.kinds.map(\.name).joined(separator: "\n"))
        writer.write(array: events.pointers.map(Int64.init))
        writer.write(array: events.items)
        writer.write(array: events.kindCodes)
        writer.write(array: events.timestamps ?? [])
    }

    /// The events, every index checked (a corrupt file must not reach ``EventSequences``'s
    /// preconditions).
    private static func unarchiveEvents(from reader: inout ArchiveReader, users: Int, items: Int) throws(TacitError) -> EventSequences {
        let kindText = try reader.readString()
        let kinds = kindText.split(separator: "\n", omittingEmptySubsequences: false).map { EventKind(String($0)) }
        let pointers: StorageBuffer<Int64> = try reader.read(count: users + 1, what: "event pointers")
        let itemIndices: StorageBuffer<Int32> = try reader.read()
        let codes: StorageBuffer<UInt16> = try reader.read(count: itemIndices.count, what: "event kinds")
        let times: StorageBuffer<Int64> = try reader.read()
        let pointerArray = pointers.array.map { Int($0) }
        guard pointerArray.first == 0, pointerArray.last == itemIndices.count, zip(pointerArray, pointerArray.dropFirst()).allSatisfy({ $0 <= $1 }),
              itemIndices.array.allSatisfy({ $0 >= 0 && Int($0) < items }), codes.array.allSatisfy({ Int($0) < kinds.count }),
              times.count == 0 || times.count == itemIndices.count
        else { throw reader.formatError("the ranker's training events are inconsistent (pointers, items, kinds or times out of range)") }
        return EventSequences(kinds: kinds, pointers: pointerArray, items: itemIndices.array, kindCodes: codes.array,
                              timestamps: times.count == 0 && itemIndices.count > 0 ? nil : times.array)
    }
}
