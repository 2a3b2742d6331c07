import Testing
import TacitCore

@Suite("External ids: one rule for every entry point")
struct ExternalIDTests {
    @Test(arguments: ["u1", "a b", "alice@example.com", "ü", "x/y", "50%", "a+b", "名前", "🙂", String(repeating: "x", count: 256),
                      String(repeating: "é", count: 128)])
    func validIDsAreKeptAsTheyAre(id: String) {
        #expect(ExternalID.problem(id) == nil)
    }

    @Test(arguments: [
        ("", "must not be empty"),
        ("e\u{0}one", "contains a control character (byte 1, 0x00)"),
        ("tab\there", "contains a control character (byte 3, 0x09)"),
        ("del\u{7F}", "contains a control character (byte 3, 0x7F)"),
        ("c1\u{85}", "contains a control character (U+0085)"),
        ("c1\u{9F}", "contains a control character (U+009F)"),
        (String(repeating: "x", count: 257), "longer than 256 bytes of UTF-8 (257)"),
        (String(repeating: "é", count: 129), "longer than 256 bytes of UTF-8 (258)"),
    ])
    func invalidIDsAreNamed(id: String, problem: String) {
        #expect(ExternalID.problem(id) == problem)
    }

    @Test func bytesThatAreNotUTF8AreRefused() {
        let bytes: [UInt8] = [0x61, 0xE0, 0xA4]      // a truncated three-byte sequence
        #expect(bytes.withUnsafeBufferPointer { ExternalID.problem(utf8: $0) } == "is not valid UTF-8")
        let latin1: [UInt8] = [0x63, 0x61, 0x66, 0xE9]  // "café" in Latin-1
        #expect(latin1.withUnsafeBufferPointer { ExternalID.problem(utf8: $0) } == "is not valid UTF-8")
        // U+00A0 (0xC2 0xA0) is not a control character.
        #expect(ExternalID.problem("a\u{A0}b") == nil)
    }
}
