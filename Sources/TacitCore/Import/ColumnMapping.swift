/// Which input column (CSV/TSV header name) or JSON key holds each field of an event.
///
/// The default, ``automatic``, finds every field by its header name, compared without regard to
/// case, from the aliases in ``Field/aliases``:
///
/// | field | required | aliases, in order of preference |
/// |---|---|---|
/// | user | yes | `user_id`, `user`, `userid`, `visitorid`, `visitor_id`, `customer_id`, `uid` |
/// | item | yes | `item_id`, `item`, `itemid`, `product_id`, `productid`, `movie_id`, `movieid`, `iid` |
/// | kind | no | `kind`, `event`, `event_type`, `type`, `action` |
/// | timestamp | no | `timestamp`, `time`, `ts`, `datetime`, `event_time`, `date` |
/// | value | no | `value`, `rating`, `dwell`, `quantity`, `weight` |
///
/// So ML-100K's `user_id,item_id,rating,timestamp`, split files `user_id,item_id,timestamp` and
/// shop logs `user_id,item_id,event,timestamp,value` load with no options. When there is no kind
/// column every event gets ``defaultKind`` (`interaction`); when there is no timestamp column, an
/// event's timestamp is its 1-based data-row number in the file, so time order is file order; when
/// there is no value column, events have no value.
///
/// Overrides use the CLI's syntax (``init(overrides:)``): `user=visitor`, `value=-` (ignore even
/// if an alias matches), `kind=auto`, `delimiter=;` (or `tab`), `default_kind=view`.
public struct ColumnMapping: Sendable, Hashable {
    /// The fields of an event that come from columns.
    public enum Field: String, Sendable, Hashable, CaseIterable, Codable {
        case user, item, kind, timestamp, value

        /// Header names recognised for this field, most preferred first (compared case-insensitively).
        public var aliases: [String] {
            switch self {
            case .user: return ["user_id", "user", "userid", "visitorid", "visitor_id", "customer_id", "uid"]
            case .item: return ["item_id", "item", "itemid", "product_id", "productid", "movie_id", "movieid", "iid"]
            case .kind: return ["kind", "event", "event_type", "type", "action"]
            case .timestamp: return ["timestamp", "time", "ts", "datetime", "event_time", "date"]
            case .value: return ["value", "rating", "dwell", "quantity", "weight"]
            }
        }

        /// Whether a file without this field is an error.
        public var isRequired: Bool { self == .user || self == .item }
    }

    /// Where one field comes from.
    public enum Column: Sendable, Hashable {
        /// The first header among the field's ``Field/aliases`` (the default).
        case automatic
        /// The column with exactly this header name (compared case-insensitively).
        case named(String)
        /// Not read, even when a header matches an alias.
        case ignored
    }

    /// The user id's column (required).
    public var user: Column = .automatic
    /// The item id's column (required).
    public var item: Column = .automatic
    /// The event kind's column; without one, every event gets ``defaultKind``.
    public var kind: Column = .automatic
    /// The timestamp's column; without one, an event's timestamp is its data-row number.
    public var timestamp: Column = .automatic
    /// The value's column (rating, dwell, quantity); without one, events have no value.
    public var value: Column = .automatic
    /// The field delimiter byte; `nil` picks tab for `.tsv`/`.tab` files and otherwise the first of
    /// `,` tab `;` `|` found in the header line (comma when none is).
    public var delimiter: UInt8?
    /// The kind of every event when the file has no kind column (default `interaction`).
    public var defaultKind: EventKind = .interaction

    /// Finds every field by its aliases.
    public static let automatic = ColumnMapping()

    /// Creates a mapping; fields left out are found automatically.
    public init(
        user: Column = .automatic, item: Column = .automatic, kind: Column = .automatic,
        timestamp: Column = .automatic, value: Column = .automatic, delimiter: UInt8? = nil,
        defaultKind: EventKind = .interaction
    ) {
        self.user = user
        self.item = item
        self.kind = kind
        self.timestamp = timestamp
        self.value = value
        self.delimiter = delimiter
        self.defaultKind = defaultKind
    }

    /// The column of `field`.
    public subscript(field: Field) -> Column {
        get {
            switch field {
            case .user: return user
            case .item: return item
            case .kind: return kind
            case .timestamp: return timestamp
            case .value: return value
            }
        }
        set {
            switch field {
            case .user: user = newValue
            case .item: item = newValue
            case .kind: kind = newValue
            case .timestamp: timestamp = newValue
            case .value: value = newValue
            }
        }
    }

    /// Creates the automatic mapping with `overrides` applied in order (see ``apply(override:)``).
    public init(overrides: [String]) throws(TacitError) {
        self.init()
        for override in overrides { try apply(override: override) }
    }

    /// The keys ``apply(override:)`` accepts.
    public static let overrideKeys = Field.allCases.map(\.rawValue) + ["delimiter", "default_kind"]

    /// Applies one `key=value` override, as given to the CLI's `--column` flag.
    ///
    /// `user=visitor` reads users from column `visitor`; `value=-` ignores values; `kind=auto`
    /// restores automatic detection; `delimiter=;` (or `tab`, `\t`, `comma`, `semicolon`, `pipe`)
    /// sets the delimiter; `default_kind=view` sets ``defaultKind``.
    public mutating func apply(override: String) throws(TacitError) {
        guard let equals = override.firstIndex(of: "=") else {
            throw TacitError.invalidArgument(
                "column override '\(override)' is not KEY=VALUE; keys: \(Self.overrideKeys.joined(separator: ", "))")
        }
        let key = ByteParsing.trim(override[..<equals]).lowercased()
        let text = String(override[override.index(after: equals)...])
        switch key {
        case "delimiter", "sep", "separator": delimiter = try Self.delimiter(named: text)
        case "default_kind", "defaultkind":
            let name = ByteParsing.trim(text)
            guard !name.isEmpty else { throw TacitError.invalidArgument("default_kind must not be empty") }
            defaultKind = EventKind(name)
        default:
            guard let field = Field(rawValue: key) else {
                throw TacitError.unknownName("column override key", key, valid: Self.overrideKeys)
            }
            self[field] = try Self.column(text, for: field)
        }
    }

    /// Parses a column choice: a header name, `-` (ignored) or `auto`.
    static func column(_ text: String, for field: Field) throws(TacitError) -> Column {
        let name = ByteParsing.trim(text)
        switch name.lowercased() {
        case "": throw TacitError.invalidArgument("empty column name for \(field.rawValue); use '-' to ignore it")
        case "-", "none": return .ignored
        case "auto", "automatic": return .automatic
        default: return .named(name)
        }
    }

    /// Parses a delimiter: one ASCII character or a name (`tab`, `comma`, `semicolon`, `pipe`, `space`).
    static func delimiter(named text: String) throws(TacitError) -> UInt8 {
        switch text {
        case "tab", "\\t", "\t": return ByteParsing.tab
        case "comma": return UInt8(ascii: ",")
        case "semicolon": return UInt8(ascii: ";")
        case "pipe": return UInt8(ascii: "|")
        case "space", " ": return ByteParsing.space
        default:
            let bytes = Array(text.utf8)
            guard bytes.count == 1, bytes[0] < 0x80, bytes[0] != ByteParsing.quote, bytes[0] != ByteParsing.lf,
                  bytes[0] != ByteParsing.cr
            else {
                throw TacitError.invalidArgument(
                    "delimiter '\(text)' must be one ASCII character other than a quote or line break, or tab/comma/semicolon/pipe/space")
            }
            return bytes[0]
        }
    }
}
