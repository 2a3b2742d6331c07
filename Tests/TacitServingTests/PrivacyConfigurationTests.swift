import Foundation
import Testing
import TacitCore
import TacitServing
import TacitTestSupport

/// The `privacy` section and the keyed pseudonyms of user ids.
@Suite("Privacy configuration")
struct PrivacyConfigurationTests {
    @Test("defaults: no retention, hourly runs, ids kept as sent, secret from TACIT_PSEUDONYM_SECRET")
    func defaults() throws {
        let p = try ServiceConfigurationTests.decode("{}").privacy
        #expect(p == ServiceConfiguration.Privacy())
        #expect(p.retentionDays == nil)
        #expect(p.retentionInterval == 3_600)
        #expect(!p.pseudonymizeUserIDs)
        #expect(p.secretEnvironment == "TACIT_PSEUDONYM_SECRET")
        #expect(try UserPseudonymizer.configured(p, environment: [:]) == nil)
    }

    @Test("every key is read; out-of-range values name the field")
    func keys() throws {
        let p = try ServiceConfigurationTests.decode(#"""
        {"privacy": {"retention_days": 30, "retention_interval_seconds": 60, "pseudonymize_user_ids": true,
                     "secret_env": "SHOP_SECRET", "secret_file": "/run/secret"}}
        """#).privacy
        #expect(p.retentionDays == 30)
        #expect(p.retentionInterval == 60)
        #expect(p.pseudonymizeUserIDs)
        #expect(p.secretEnvironment == "SHOP_SECRET")
        #expect(p.secretFile == "/run/secret")
        for (json, field) in [(#"{"privacy": {"retention_days": 0}}"#, "privacy.retention_days"),
                              (#"{"privacy": {"retention_days": 1e300}}"#, "privacy.retention_days"),
                              (#"{"privacy": {"retention_interval_seconds": 1e12}}"#, "privacy.retention_interval_seconds"),
                              (#"{"privacy": {"secret_env": ""}}"#, "privacy.secret_env"),
                              (#"{"privacy": {"secret": "x"}}"#, "privacy.secret")] {
            #expect { try ServiceConfigurationTests.decode(json) } throws: { "\($0)".contains(field) }
        }
    }

    @Test("the pseudonym is the hex HMAC-SHA-256 of the id (RFC 4231 case 2 with a 20-byte key)")
    func hmacVector() throws {
        let key = [UInt8](repeating: 0x0b, count: 20)
        let pseudonymizer = try UserPseudonymizer(secret: key)
        #expect(pseudonymizer.pseudonym("Hi There") == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(pseudonymizer.pseudonym("Hi There") == pseudonymizer.pseudonym("Hi There"))
        #expect(pseudonymizer.pseudonym("Hi there") != pseudonymizer.pseudonym("Hi There"))
        #expect(ExternalID.isValid(pseudonymizer.pseudonym("ü")))
        #expect(try UserPseudonymizer(secret: [UInt8](repeating: 1, count: 20)).pseudonym("Hi There") != pseudonymizer.pseudonym("Hi There"))
    }

    @Test("the secret comes from the file (one trailing newline dropped) or the environment; missing or short ones are refused without echoing it")
    func secretSources() throws {
        var p = ServiceConfiguration.Privacy()
        p.pseudonymizeUserIDs = true
        let secret = "0123456789abcdef-secret"
        let fromEnvironment = try #require(try UserPseudonymizer.configured(p, environment: ["TACIT_PSEUDONYM_SECRET": secret]))
        let file = Fixtures.temporaryDirectory().appendingPathComponent("secret")
        try Data((secret + "\n").utf8).write(to: file)
        p.secretFile = file.path
        let fromFile = try #require(try UserPseudonymizer.configured(p, environment: [:]))
        #expect(fromFile.pseudonym("u1") == fromEnvironment.pseudonym("u1"))

        p.secretFile = nil
        #expect { try UserPseudonymizer.configured(p, environment: [:]) } throws: { "\($0)".contains("TACIT_PSEUDONYM_SECRET") }
        let short = "tooshort"
        #expect { try UserPseudonymizer.configured(p, environment: ["TACIT_PSEUDONYM_SECRET": short]) } throws: { error in
            "\(error)".contains("at least 16") && !"\(error)".contains(short)
        }
        p.secretFile = file.path + ".missing"
        #expect { try UserPseudonymizer.configured(p, environment: [:]) } throws: { "\($0)".contains("privacy.secret_file") }
    }
}
