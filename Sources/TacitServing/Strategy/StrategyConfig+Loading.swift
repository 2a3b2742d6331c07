import TacitCore
import Foundation

extension StrategyConfig: Codable {
    static let keys = ["default_scene", "scenes"]

    /// Decodes a strategy document over ``standard`` (see the format in ``StrategyConfig``) and
    /// validates it. Errors are ``StrategyConfigError``s naming the field's path.
    public init(from decoder: any Decoder) throws {
        let object = try ConfigObject(decoder, known: Self.keys)
        var config = StrategyConfig.standard
        if let scenesDecoder = try object.nested("scenes") {
            let scenes = try ConfigObject(scenesDecoder, known: nil)
            for name in scenes.keys {
                guard let sceneDecoder = try scenes.nested(name) else { continue }
                config.scenes[name] = try SceneConfig(from: sceneDecoder, base: StrategyConfig.standard.scenes[name])
            }
        }
        config.defaultScene = try object.value("default_scene", as: String.self, expected: "a string") ?? config.defaultScene
        do { try config.validate() } catch { throw error.nested(under: StrategyConfigError.path(decoder.codingPath)) }
        self = config
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ConfigKey.self)
        try container.encode(defaultScene, forKey: ConfigKey("default_scene"))
        var nested = container.nestedContainer(keyedBy: ConfigKey.self, forKey: ConfigKey("scenes"))
        for name in sceneNames { try nested.encode(scenes[name]!, forKey: ConfigKey(name)) }
    }

    /// Loads a strategy file (JSON, see the format in ``StrategyConfig``).
    ///
    /// - Throws: ``StrategyConfigError`` naming `path`, the field and the reason.
    public static func load(path: String) throws(StrategyConfigError) -> StrategyConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StrategyConfigError.unreadable("cannot read the strategy file").located(in: path)
        }
        return try decode(data, file: path)
    }

    /// Decodes a strategy document; `file` names it in errors.
    public static func decode(_ data: Data, file: String? = nil) throws(StrategyConfigError) -> StrategyConfig {
        do {
            return try JSONDecoder().decode(StrategyConfig.self, from: data)
        } catch {
            var failure: StrategyConfigError
            if let error = error as? StrategyConfigError {
                failure = error
            } else if case let .dataCorrupted(context) = error as? DecodingError, context.codingPath.isEmpty {
                failure = .syntax(syntaxError(in: data))
            } else {
                failure = ConfigObject.converting(error, at: "", expected: "an object")
            }
            if let file { failure = failure.located(in: file) }
            throw failure
        }
    }

    /// Describes why `data` is not JSON, with the line and column when the parser names the
    /// offending character (JSONDecoder itself does not say where).
    static func syntaxError(in data: Data) -> String {
        if data.allSatisfy({ [UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t")].contains($0) }) {
            return "not valid JSON: the document is empty"
        }
        let message: String
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return "not valid JSON"
        } catch {
            message = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
        }
        var text = message.hasSuffix(".") ? String(message.dropLast()) : message
        if let first = text.first { text = first.lowercased() + text.dropFirst() }
        // "Invalid value around character 22" → "invalid value at line 3, column 2".
        if let range = text.range(of: "around character "), let offset = Int(text[range.upperBound...]), offset <= data.count {
            var line = 1
            var lineStart = 0
            for (index, byte) in data.prefix(offset).enumerated() where byte == UInt8(ascii: "\n") {
                line += 1
                lineStart = index + 1
            }
            text = text[..<range.lowerBound] + "at line \(line), column \(offset - lineStart + 1)"
        }
        return "not valid JSON: " + text
    }
}
