@testable import SMRLCore
import SMRLTestSupport
import Testing

/// ``LibraryTags/parse(_:)`` as it was before it read the keyword's bytes in place (session 13): the reference.
private func parseSlowly(_ keyword: String) -> (field: LibraryTags.Field, value: String)? {
    let prefixBytes = Array(LibraryTags.prefix.utf8)
    func equalFoldingASCII(_ bytes: some Collection<UInt8>, _ lowercase: some Collection<UInt8>) -> Bool {
        bytes.count == lowercase.count
            && zip(bytes, lowercase).allSatisfy { byte, expected in (byte &- 0x41 < 26 ? byte | 0x20 : byte) == expected }
    }
    let text = keyword.trimmingSpaces
    let utf8 = text.utf8
    guard utf8.count > prefixBytes.count, let first = utf8.first, first | 0x20 == UInt8(ascii: "s"),
        equalFoldingASCII(utf8.prefix(prefixBytes.count), prefixBytes)
    else { return nil }
    let rest = utf8.dropFirst(prefixBytes.count)
    guard let colon = rest.firstIndex(of: UInt8(ascii: ":")),
        let field = LibraryTags.Field.allCases.first(where: { equalFoldingASCII(rest[..<colon], $0.rawValue.utf8) })
    else { return nil }
    let value = text[utf8.index(after: colon)...].trimmingSpaces
    guard !value.isEmpty else { return nil }
    return (field, value)
}

@Suite("Library tags are parsed as before")
struct LibraryTagsParsingTests {
    static func check(_ keyword: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let parsed = LibraryTags.parse(keyword)
        let expected = parseSlowly(keyword)
        #expect(parsed?.field == expected?.field, "\(keyword.debugDescription)", sourceLocation: sourceLocation)
        #expect(parsed?.value == expected?.value, "\(keyword.debugDescription)", sourceLocation: sourceLocation)
        #expect(parsed.map { Array($0.value.unicodeScalars) } == expected.map { Array($0.value.unicodeScalars) },
            sourceLocation: sourceLocation)
    }

    @Test func hardCases() {
        let keywords = [
            "", "s", "smrl", "smrl:", "smrl::", "smrl:domain", "smrl:domain:", "smrl:domain: ", "smrl:domain:x",
            "SMRL:DOMAIN:Mixed Case", " \t smrl:topic:specialty-choice \n", "\u{A0}smrl:topic:a\u{A0}", "smrl:Topic:é",
            "smrl:topic:\u{301}combining", "smrl:topic: \u{301}", "smrl:resource-type:real-world-example",
            "smrl:open-access:true", "smrl:open-access:maybe", "smrl:profession:pharmacy:extra", "smrl:unknown:x",
            "smrl:domai:x", "smrl:domainx:x", "smrl :domain:x", "ſmrl:domain:x", "smrl:domaın:x", "smrl:domain:😀",
            "smrl:topic:a\u{2028}", "keyword", "Surgery", "smrl:topic:\r\n", "smrl:topic:x\r\n", "smrl:domain:a:b",
        ]
        for keyword in keywords { Self.check(keyword) }
    }

    @Test func randomKeywords() {
        var random = SeededGenerator(seed: 2013)
        let pieces = ["smrl:", "SMRL:", "sMrL:", "domain", "Topic", "profession", "resource-type", "open-access", ":",
            " ", "\t", "\n", "\u{A0}", "a", "é", "e\u{301}", "\u{301}", "😀", "-", "true", "x"]
        for _ in 0..<5000 {
            var keyword = ""
            for _ in 0..<Int.random(in: 0...7, using: &random) { keyword += pieces.randomElement(using: &random)! }
            Self.check(keyword)
        }
    }
}

/// ``LibraryTags/knownValues``: the literal Strings a reader hands on for the commonest tag values.
@Suite struct LibraryTagsKnownValuesTests {
    @Test("the known values hold every id of the bundled vocabulary's library lists, and true and false")
    func holdsTheVocabulary() {
        let vocabulary = Vocabulary.bundled
        var ids: Set<String> = ["true", "false"]
        for kind: Vocabulary.Kind in [.domains, .topics, .professions, .resourceTypes] {
            let terms = vocabulary.lists[kind]?.terms ?? []
            #expect(!terms.isEmpty, "\(kind)")
            for term in terms { ids.insert(term.id) }
        }
        #expect(Set(LibraryTags.knownValues) == ids)
        #expect(LibraryTags.knownValues.count == ids.count)
    }

    @Test("a known value is found by its exact bytes only, and is the same text")
    func lookUp() {
        for value in LibraryTags.knownValues {
            let bytes = Array(value.utf8)
            let found = bytes.withUnsafeBufferPointer { LibraryTags.knownValue($0) }
            #expect(found == value)
            #expect(found.map { Array($0.utf8) } == bytes)
            // Other letter case, a byte more or less: not found (the caller then makes the String).
            for other in [value.uppercased(), value + "x", String(value.dropLast()), " " + value] {
                #expect(Array(other.utf8).withUnsafeBufferPointer { LibraryTags.knownValue($0) } == nil, "\(other)")
            }
        }
        for other in ["", "x", "medicin", "Medicine", "peer-reviewed-article-2", "truE"] {
            #expect(Array(other.utf8).withUnsafeBufferPointer { LibraryTags.knownValue($0) } == nil, "\(other)")
        }
    }
}

/// ``LibraryTags/forEachTag(of:_:)``, on which ``LibraryTags/tags(for:)`` and the RIS, CSL-JSON and JATS writers are
/// built: the heads spelled out here, in the documented order, and each tag read back by ``LibraryTags/parse(_:)``.
@Suite struct LibraryTagsWritingTests {
    @Test("the tags of every library field, in order, read back as the fields")
    func everyField() {
        var resource = Resource(id: "r")
        #expect(LibraryTags.tags(for: resource).isEmpty)
        #expect(LibraryTags.tagCount(of: resource) == 0)
        resource.resourceType = "peer-reviewed-article"
        resource.domains = ["community-engagement", "ré-sumé"]
        resource.topics = ["specialty-choice"]
        resource.professions = ["medicine", "nursing"]
        resource.openAccess = false
        let expected = [
            "smrl:resource-type:peer-reviewed-article", "smrl:domain:community-engagement", "smrl:domain:ré-sumé",
            "smrl:topic:specialty-choice", "smrl:profession:medicine", "smrl:profession:nursing", "smrl:open-access:false",
        ]
        #expect(LibraryTags.tags(for: resource) == expected)
        #expect(LibraryTags.tagCount(of: resource) == expected.count)
        var parts: [String] = []
        LibraryTags.forEachTag(of: resource) { head, value in parts.append("\(head)|\(value)") }
        #expect(parts == expected.map { tag in
            let colon = tag.index(after: tag.dropFirst(5).firstIndex(of: ":")!)
            return String(tag[..<colon]) + "|" + String(tag[colon...])
        })
        let read = expected.compactMap(LibraryTags.parse)
        #expect(read.map(\.field) == [.resourceType, .domain, .domain, .topic, .profession, .profession, .openAccess])
        #expect(read.map(\.value) == ["peer-reviewed-article", "community-engagement", "ré-sumé", "specialty-choice",
            "medicine", "nursing", "false"])
        for field in [LibraryTags.Field.domain, .topic, .profession, .resourceType, .openAccess] {
            #expect(LibraryTags.tag(field, "x") == LibraryTags.prefix + field.rawValue + ":x")
            #expect(LibraryTags.tag(LibraryTags.head(field), "") == LibraryTags.prefix + field.rawValue + ":")
        }
        // Any literal head, however short (read through `withUTF8Buffer`, not `utf8Start`), and any value.
        let heads: [StaticString] = ["", "a", "é", "smrl:x:", "\u{1F600}"]
        for head in heads {
            for value in ["", "v", "ré-sumé", String(repeating: "long ", count: 40), "\u{0}"] {
                #expect(LibraryTags.tag(head, value) == head.description + value)
            }
        }
        // Each field alone counts.
        for only in 0..<5 {
            var one = Resource(id: "o")
            switch only {
            case 0: one.resourceType = "x"
            case 1: one.domains = ["x"]
            case 2: one.topics = ["x"]
            case 3: one.professions = ["x"]
            default: one.openAccess = true
            }
            #expect(LibraryTags.tagCount(of: one) == 1 && LibraryTags.tags(for: one).count == 1, "\(only)")
        }
    }
}
