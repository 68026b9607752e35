import SMRLCore
import Testing

@testable import SMRLNative

/// The record and person key look-ups the reader makes on each member name, against the generated
/// `init(rawValue:)` they replace: every key, and names that differ from one by case, length or one byte.
@Suite("smrl-json key look-ups")
struct NativeKeyLookupTests {
    /// Every name of `names`, and near misses of each.
    static func candidates(_ names: [String]) -> [String] {
        var result = ["", "x", "é", "family\u{0}", "given ", " given", "ORCID", "Family", "droppingparticle"]
        for name in names {
            result += [name, name.uppercased(), String(name.dropLast()), name + "s", "_" + name, name + "é"]
            var bytes = Array(name.utf8)
            for position in [0, bytes.count / 2, bytes.count - 1] {
                let saved = bytes[position]
                bytes[position] = saved == UInt8(ascii: "z") ? UInt8(ascii: "y") : UInt8(ascii: "z")
                result.append(String(decoding: bytes, as: UTF8.self))
                bytes[position] = saved
            }
        }
        return result
    }

    @Test func personKeysAreFoundAsByRawValue() {
        for name in Self.candidates(PersonKey.allCases.map(\.rawValue)) {
            #expect(PersonKey(named: name) == PersonKey(rawValue: name), "\(name)")
        }
    }

    @Test func recordKeysAreFoundAsByRawValue() {
        let keys = Resource.CodingKeys.allCases
        for name in Self.candidates(keys.map(\.rawValue)) {
            let found = NativeMapping.key(named: name)
            let expected = Resource.CodingKeys(rawValue: name)
            #expect(found?.key == expected, "\(name)")
            if let expected, let position = keys.firstIndex(of: expected) {
                #expect(found?.bit == (position < 64 ? 1 << UInt64(position) : 0), "\(name)")
            }
        }
    }
}
