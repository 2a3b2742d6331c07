import Crypto
import Foundation
import TacitCore

/// Replaces raw user ids by keyed pseudonyms: the lowercase hex of HMAC-SHA-256(secret, id),
/// 64 characters (`privacy.pseudonymize_user_ids`).
///
/// The same raw id always maps to the same pseudonym under one secret, so a client keeps using
/// raw ids (events, recommendations, deletion, export) while the store, the models, the logs and
/// every file written hold only pseudonyms. Without the secret a pseudonym cannot be turned back
/// into the raw id, nor can a guessed id be checked against the stored ones.
public struct UserPseudonymizer: Sendable {
    /// Why a pseudonymizer could not be set up. The secret itself never appears in a message.
    public struct SetupError: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// The shortest secret accepted, in bytes.
    public static let minimumSecretBytes = 16

    private let key: SymmetricKey

    /// A pseudonymizer keyed by `secret` (at least ``minimumSecretBytes`` bytes).
    public init(secret: some DataProtocol) throws {
        guard secret.count >= Self.minimumSecretBytes else {
            throw SetupError(description: "the pseudonymization secret has \(secret.count) bytes; at least \(Self.minimumSecretBytes) are needed")
        }
        key = SymmetricKey(data: Array(secret))
    }

    /// The pseudonymizer `privacy` asks for: `nil` when `pseudonymize_user_ids` is off, else keyed
    /// by the secret in `privacy.secret_file` (its content without one trailing newline) or, when
    /// no file is named, in the environment variable `privacy.secret_env`.
    public static func configured(_ privacy: ServiceConfiguration.Privacy,
                                  environment: [String: String] = ProcessInfo.processInfo.environment) throws -> UserPseudonymizer? {
        guard privacy.pseudonymizeUserIDs else { return nil }
        var secret: Data
        if let path = privacy.secretFile {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw SetupError(description: "privacy.secret_file: cannot read \(path)")
            }
            secret = data
            if secret.last == UInt8(ascii: "\n") { secret.removeLast() }
            if secret.last == UInt8(ascii: "\r") { secret.removeLast() }
        } else {
            guard let value = environment[privacy.secretEnvironment], !value.isEmpty else {
                throw SetupError(description: "privacy.pseudonymize_user_ids is on but the environment variable \(privacy.secretEnvironment) is not set (or set privacy.secret_file)")
            }
            secret = Data(value.utf8)
        }
        do { return try UserPseudonymizer(secret: secret) } catch let error as SetupError {
            throw SetupError(description: "\(privacy.secretFile.map { "privacy.secret_file \($0)" } ?? privacy.secretEnvironment): \(error.description)")
        }
    }

    /// The pseudonym of `user`.
    public func pseudonym(_ user: UserID) -> UserID {
        let code = HMAC<SHA256>.authenticationCode(for: Data(user.utf8), using: key)
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in code {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}

extension RecommendationService {
    /// The id under which `user` (as a client sent it) is stored and served: its pseudonym when
    /// ``ServiceConfiguration/Privacy/pseudonymizeUserIDs`` is on, else `user` itself. Every
    /// entry point applies it exactly once.
    public func userKey(_ user: UserID) -> UserID { pseudonymizer?.pseudonym(user) ?? user }
}
