/// Where the fields of one record start in its input, keyed by ``Resource`` key (`doi`, `authors`) or `key[n]`
/// for one element of a list.
///
/// A short list searched in order: a record has a dozen or two located fields, and the locations are read only when
/// a check reports a problem, so a reader records them without hashing a key (which a dictionary costs on every
/// insert). The first location recorded for a key is the one kept by ``add(_:_:)``. Two lists are equal when they
/// give the same location for every key, whatever their order.
public struct FieldLocationList: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var location: SourceLocation

        public init(key: String, location: SourceLocation) {
            self.key = key
            self.location = location
        }
    }

    /// The keys and their locations, in the order recorded (a dictionary's in the dictionary's order).
    public private(set) var entries: [Entry] = []

    public init() {}

    /// The locations of a dictionary.
    public init(_ dictionary: [String: SourceLocation]) {
        entries.reserveCapacity(dictionary.count)
        for (key, location) in dictionary { entries.append(Entry(key: key, location: location)) }
    }

    public static func == (left: FieldLocationList, right: FieldLocationList) -> Bool {
        left.count == right.count && left.entries.allSatisfy { right[$0.key] == $0.location }
    }

    public var isEmpty: Bool { entries.isEmpty }
    public var count: Int { entries.count }

    public mutating func reserveCapacity(_ capacity: Int) { entries.reserveCapacity(capacity) }

    private func position(of key: String) -> Int? {
        // Keys are short: a length compare (inline in a small string) skips most string compares.
        let length = key.utf8.count
        var index = 0
        while index < entries.count {
            if entries[index].key.utf8.count == length && entries[index].key == key { return index }
            index += 1
        }
        return nil
    }

    /// Records where a key's field starts, unless the key already has a location (the first one stays).
    public mutating func add(_ key: String, _ location: SourceLocation) {
        if position(of: key) == nil { entries.append(Entry(key: key, location: location)) }
    }

    /// Records a key's location without looking for the key first (``add(_:_:)`` searches), for a reader that keeps
    /// track of the keys it has recorded; debug builds check that the key is new.
    package mutating func appendNew(_ key: String, _ location: SourceLocation) {
        assert(position(of: key) == nil, "appendNew: \(key) has a location already")
        entries.append(Entry(key: key, location: location))
    }

    /// Whether the key has a location.
    public func contains(_ key: String) -> Bool { position(of: key) != nil }

    /// A key's location; setting one replaces the key's location (or adds the key), setting nil removes it.
    public subscript(key: String) -> SourceLocation? {
        get { position(of: key).map { entries[$0].location } }
        set {
            if let index = position(of: key) {
                if let newValue { entries[index].location = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append(Entry(key: key, location: newValue))
            }
        }
    }

    /// Sets a key's location, replacing the one it had, and returns that one (nil when the key is new).
    @discardableResult
    public mutating func updateValue(_ location: SourceLocation, forKey key: String) -> SourceLocation? {
        guard let index = position(of: key) else {
            entries.append(Entry(key: key, location: location))
            return nil
        }
        defer { entries[index].location = location }
        return entries[index].location
    }

    /// Removes a key and returns its location.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> SourceLocation? {
        guard let index = position(of: key) else { return nil }
        return entries.remove(at: index).location
    }

    /// The locations as a dictionary.
    public var dictionary: [String: SourceLocation] {
        var result: [String: SourceLocation] = [:]
        result.reserveCapacity(entries.count)
        for entry in entries where result[entry.key] == nil { result[entry.key] = entry.location }
        return result
    }
}
