/// Damages byte feeds at random, for tests that a fast path and its reference agree whatever the input: each call
/// changes, inserts or removes one to four bytes, taken from an alphabet of the bytes that matter to the format.
/// Deterministic (a linear congruential generator from a fixed seed), so a failure repeats.
public struct ByteDamage {
    private var state: UInt64
    private let alphabet: [UInt8]

    public init(seed: UInt64, alphabet: [UInt8]) {
        state = seed
        self.alphabet = alphabet
    }

    /// A number in `0..<bound` (`bound` > 0).
    public mutating func random(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }

    /// `original` with one to four bytes changed, inserted or removed (`original` must not be empty).
    public mutating func damaged(_ original: [UInt8]) -> [UInt8] {
        var bytes = original
        for _ in 0...random(3) {
            let position = random(bytes.count)
            switch random(3) {
            case 0: bytes[position] = alphabet[random(alphabet.count)]
            case 1: bytes.insert(alphabet[random(alphabet.count)], at: position)
            default: bytes.remove(at: position)
            }
        }
        return bytes
    }
}
