public import SMRLCore

/// Reads BibTeX and biblatex files one entry at a time.
///
/// Both dialects are read by the same reader (a file may mix them). The reader streams: it keeps the `@string`
/// macros, the keys seen (as 64-bit hashes, for duplicate detection) and, for `crossref`/`xdata`:
///
/// - **Parents that come first** are found only if they were kept: the reader keeps every `@xdata` entry, every
///   entry of a container type (`book`, `mvbook`, `collection`, `mvcollection`, `proceedings`, `mvproceedings`,
///   `reference`, `mvreference`, `periodical`) and every entry whose key a child already asked for. A child whose
///   earlier parent is of another type gets a `bibtex.crossref-missing` warning.
/// - **Parents that come later** (BibTeX's own rule is that they must) are waited for: the child is held back and
///   returned right after its parent, with the parent's fields inherited. Children still waiting at the end of
///   the input are returned then, with a warning.
///
/// Kept parents go to a temporary file once they pass 256 KiB, and so do the keys seen (for `bibtex.duplicate-key`)
/// and asked for, as 64-bit digests: memory stays flat however many entries and container entries a file has (a
/// few bytes a key). What memory does hold is the children waiting for a later parent, until it comes. The setting `bibtex.crossref = keep` turns inheritance off: nothing is held back,
/// every entry (`@xdata` included) comes out as written, with `crossref`/`xdata` kept as extra fields.
///
/// Inheritance follows biblatex's default rules (biblatex manual, appendix B): a `book`'s `title` becomes an
/// `inbook`'s `booktitle`, a `proceedings`' `title` an `inproceedings`' `booktitle`, a `periodical`'s `title` an
/// `article`'s `journaltitle`, an `mv*` entry's `title` a `maintitle`; every other field is inherited under its own
/// name unless the child has it; `ids`, `crossref`, `xref`, `entryset`, `entrysubtype`, `execute`, `label`,
/// `options`, `presort`, `related*`, `shorthand*` and `sortkey` are never inherited. Inherited fields fill the
/// record; inherited fields with no ``Resource`` key are not copied into the child's `extra` (they belong to the
/// parent, which is a record of its own). `@xdata` entries are not returned as records: like `@string`, their
/// fields are merged into the entries that use them and the `xdata` field is dropped.
///
/// Duplicate fields: the first value is kept, as BibTeX and biber do, and each later one is reported with both
/// locations (`bibtex.duplicate-field`) and its value in the message. Duplicate keys: both entries are returned,
/// the second with a `bibtex.duplicate-key` warning pointing at the first.
public struct BibTeXReader: StagedRecordReader {
    private var scanner: BibTeXScanner
    private let fileName: String
    private let resolveCrossrefs: Bool

    private var macros: [String: [UInt8]] = [:]
    /// Results ready to hand on; an entry's mapping to a record is left to ``PendingRecord/complete()``.
    private var queue: [PendingRecord] = []
    private var queueHead = 0
    private var pendingDiagnostics: [Diagnostic] = []
    private var finished = false
    private var legacyReported = false

    /// Hash of each lowercased key seen → its packed line and column (in flat memory: see ``DigestMap``).
    private let keysSeen: DigestMap

    /// Resolved entries kept as possible `crossref`/`xdata` parents, by lowercased key (on disk past 256 KiB).
    private let parents: BibTeXParentStore
    /// Hashes of the keys some child asked for.
    private let requested: DigestMap
    /// Children waiting for a parent, by arrival number.
    private var waiters: [Int: Waiter] = [:]
    /// Missing key → the waiters that need it.
    private var waitingFor: [String: [Int]] = [:]
    private var waiterCount = 0

    private struct Waiter {
        var entry: BibTeXEntry
        var diagnostics: [Diagnostic]
        var missing: Set<String>
    }

    /// The entry types kept as possible parents even before a child asks for them.
    static let containerTypes: Set<String> = [
        "book", "mvbook", "collection", "mvcollection", "proceedings", "mvproceedings", "reference", "mvreference",
        "periodical", "xdata",
    ]

    /// - Parameters:
    ///   - reader: the input.
    ///   - options: limits, and the setting `bibtex.crossref` = `resolve` (default) | `keep`.
    public init(reader: ByteReader, options: ReaderOptions = ReaderOptions()) {
        self.init(reader: reader, options: options, spillThreshold: SpillBuffer.defaultThreshold)
    }

    /// A reader whose kept parents and keys move to temporary files past `spillThreshold` bytes (small values are
    /// for tests).
    init(reader: ByteReader, options: ReaderOptions, spillThreshold: Int) {
        scanner = BibTeXScanner(reader: reader, options: options)
        fileName = reader.fileName
        parents = BibTeXParentStore(fileName: reader.fileName, spillThreshold: spillThreshold)
        keysSeen = DigestMap(spillThreshold: spillThreshold)
        requested = DigestMap(spillThreshold: spillThreshold)
        resolveCrossrefs = (options.settings["bibtex.crossref"] ?? "resolve").lowercased() != "keep"
        pendingDiagnostics = reader.encodingDiagnostics
    }

    /// True once kept parents have moved to a temporary file (for tests).
    var keptParentsAreSpilled: Bool { parents.isSpilled }

    /// The next entry read (macros expanded, parents inherited); its mapping to a record is done by
    /// ``PendingRecord/complete()``, which the conversion pipeline may run on its other thread.
    public mutating func nextPending() throws -> PendingRecord? {
        while queueHead >= queue.count {
            queue.removeAll(keepingCapacity: true)
            queueHead = 0
            if finished { return nil }
            guard let block = scanner.nextBlock() else {
                finish()
                continue
            }
            handle(block)
        }
        let result = queue[queueHead]
        queueHead += 1
        return result
    }

    // MARK: Blocks

    /// `block` is consumed: an entry's raw fields are then this reader's only copy, and their values move into
    /// the entry (``makeEntry(_:diagnostics:)``) instead of being copied and released.
    private mutating func handle(_ block: consuming BibTeXBlock) {
        switch consume block {
        case .string(let name, let parts, _):
            var diagnostics: [Diagnostic] = []
            macros[name.lowercased()] = Self.expand(parts, macros: macros, diagnostics: &diagnostics)
            pendingDiagnostics += diagnostics
        case .preamble(let location):
            pendingDiagnostics.append(
                .note(.bibtexPreambleIgnored, "@preamble is not carried into the records", at: location))
        case .failed(let key, let location, let diagnostics):
            var all = pendingDiagnostics + diagnostics
            pendingDiagnostics = []
            for index in all.indices where all[index].recordID == nil { all[index].recordID = key }
            queue.append(PendingRecord(ReadResult(record: nil, location: location, diagnostics: all)))
        case .entry(let raw):
            var diagnostics = raw.diagnostics
            let entry = makeEntry(raw, diagnostics: &diagnostics)
            if entry.type != "xdata" || !resolveCrossrefs { checkDuplicateKey(entry, diagnostics: &diagnostics) }
            guard resolveCrossrefs else {
                emit(entry, diagnostics: diagnostics)
                return
            }
            arrive(entry, diagnostics: diagnostics)
        }
    }

    /// Expands macros and joins the parts of a value.
    /// (Static, the macros passed: called as a method from ``makeEntry(_:diagnostics:)``'s closure, which holds the
    /// reader `inout`, it copied the whole reader per call.)
    private static func expand(_ parts: [BibTeXValuePart], macros: [String: [UInt8]], diagnostics: inout [Diagnostic])
        -> [UInt8]
    {
        if parts.count == 1, case .text(let bytes) = parts[0] { return bytes }
        if parts.count == 1, case .string(let text) = parts[0] { return Array(text.utf8) }
        var bytes: [UInt8] = []
        for part in parts {
            switch part {
            case .text(let text): bytes += text
            case .string(let text): bytes += text.utf8
            case .number(let digits): bytes += digits
            case .macro(let name, let location):
                let key = name.lowercased()
                if let value = macros[key] {
                    bytes += value
                } else if let month = BibTeXMapping.monthMacros[key] {
                    bytes += month.utf8
                } else {
                    // BibTeX reads an undefined string as empty, and warns.
                    diagnostics.append(
                        .warning(.bibtexUndefinedMacro, "'\(name)' is not a defined @string; read as empty, as BibTeX does",
                            at: location))
                }
            }
        }
        return bytes
    }

    private mutating func decode(_ bytes: [UInt8], location: SourceLocation, diagnostics: inout [Diagnostic]) -> String {
        let (text, legacy) = Self.decodeText(bytes)
        if legacy && !legacyReported {
            legacyReported = true
            diagnostics.append(
                .warning(.legacyEncoding,
                    "the input is not UTF-8; read as Windows-1252 (Latin-1) from line \(location.line) on", at: location))
        }
        return text
    }

    /// `TextDecoding.decode(bytes)`, quicker for valid UTF-8: `String(decoding:)` returns the bytes as they are
    /// when they are valid, and puts U+FFFD (bytes EF BF BD) where they are not; so a result without a byte EF is
    /// the valid text, and only a result with one needs the validating decoder (which tells a U+FFFD of the input
    /// from a repair, and falls back to Windows-1252).
    static func decodeText(_ bytes: [UInt8]) -> (text: String, legacy: Bool) {
        var text = String(decoding: bytes, as: UTF8.self)
        let hasEF = text.withUTF8 { utf8 in containsByte(utf8, 0xEF) }
        if !hasEF { return (text, false) }
        return TextDecoding.decode(bytes)
    }

    /// True when `bytes` holds `byte`: eight bytes at a time (a word XOR the byte repeated has a zero byte exactly
    /// where the byte is, and `(x - 0x01…) & ~x & 0x80…` is non-zero exactly when `x` has a zero byte).
    static func containsByte(_ bytes: UnsafeBufferPointer<UInt8>, _ byte: UInt8) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let low: UInt64 = 0x0101_0101_0101_0101
        let pattern = low &* UInt64(byte)
        var index = 0
        while index + 8 <= bytes.count {
            let x = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) ^ pattern
            if (x &- low) & ~x & 0x8080_8080_8080_8080 != 0 { return true }
            index += 8
        }
        while index < bytes.count {
            if bytes[index] == byte { return true }
            index += 1
        }
        return false
    }

    private mutating func makeEntry(_ raw: consuming BibTeXRawEntry, diagnostics: inout [Diagnostic]) -> BibTeXEntry {
        // The fields leave the raw entry: their array is then referenced once, so each value can be moved out of
        // it (``BibTeXRawField/takeFirst()``) rather than copied, and the raw field left holds nothing to release.
        var rawFields = raw.fields
        raw.fields = []
        let entryLocation = raw.location
        // The entry's fields are made in their array's memory (`initialize(to:)`): appended, each was made, copied
        // into the array and the made one destroyed (a retain and a release of its strings per field, 7.6M
        // instructions on 2,000 records). `kept` fields of `memory` are initialized at any time.
        let fields = [BibTeXEntry.Field](unsafeUninitializedCapacity: rawFields.count) { memory, kept in
            // Duplicate names: a scan of the fields kept so far (they are few), a dictionary for an entry with many.
            var firstLocation: [String: SourceLocation]?
            // Each raw field is read in place, a part at a time: copying it whole would retain and release its
            // name, value, parts and file name once more per field.
            for index in rawFields.indices {
                // A field the scanner found in the ``BibField`` table has that field's (lowercase) name already.
                let scannedKnown = rawFields[index].known
                let name = scannedKnown != nil ? rawFields[index].name : Self.lowercased(rawFields[index].name)
                // (Moved out of the raw field: no retain of its file name here, no release when the raw fields go.)
                let location = rawFields[index].takeLocation()
                let value: String
                if rawFields[index].rest.isEmpty {
                    switch rawFields[index].takeFirst() {
                    case .string(let text):
                        value = text  // the scanner made the string `decode` would make
                    case .text(let text):
                        value = decode(text, location: location, diagnostics: &diagnostics)  // `expand` gives `text`
                    case let part:
                        value = decode(Self.expand([part], macros: macros, diagnostics: &diagnostics),
                            location: location, diagnostics: &diagnostics)
                    }
                } else {
                    value = decode(Self.expand(rawFields[index].parts, macros: macros, diagnostics: &diagnostics),
                        location: location, diagnostics: &diagnostics)
                }
                let made = UnsafeMutableBufferPointer(rebasing: memory[..<kept])
                let first: SourceLocation?
                if made.count >= 32 && firstLocation == nil {
                    firstLocation = Dictionary(made.map { ($0.name, $0.location ?? entryLocation) },
                        uniquingKeysWith: { first, _ in first })
                }
                let known = scannedKnown ?? BibField(name: name)
                if let firstLocation {
                    first = firstLocation[name]
                } else {
                    // ``BibTeXEntry/position(_:)`` over the fields made so far, with the field's ``BibField`` found
                    // once for the lookup and the field.
                    // (A loop, not `firstIndex(where:)`: a closure over `name` would keep it from being consumed.)
                    var found: Int?
                    if let known {
                        for other in made.indices where made[other].known == known {
                            found = other
                            break
                        }
                    } else {
                        for other in made.indices where made[other].known == nil {
                            if made[other].name == name {
                                found = other
                                break
                            }
                        }
                    }
                    first = found.map { made[$0].location ?? entryLocation }
                }
                if let first {
                    var diagnostic = Diagnostic.warning(.bibtexDuplicateField,
                        "field '\(name)' appears twice; the first value is kept and this one ignored: '\(value.prefix(200))'",
                        at: location, field: name)
                    diagnostic.related = first
                    diagnostics.append(diagnostic)
                    continue
                }
                firstLocation?[name] = location
                (memory.baseAddress! + kept).initialize(
                    to: BibTeXEntry.Field(name: consume name, known: known, value: consume value, location: location))
                kept += 1
            }
        }
        return BibTeXEntry(type: Self.lowercased(raw.type), key: raw.key, fields: fields, location: entryLocation)
    }

    /// `text.lowercased()`, without a new string when the text has no ASCII capital and no non-ASCII byte.
    @inline(__always)
    static func lowercased(_ text: String) -> String {
        for byte in text.utf8 where byte >= 0x80 || (byte >= 0x41 && byte <= 0x5A) { return text.lowercased() }
        return text
    }

    private mutating func checkDuplicateKey(_ entry: BibTeXEntry, diagnostics: inout [Diagnostic]) {
        guard let key = entry.key, !key.isEmpty else { return }
        let hash = BibTeXEntry.hash(Self.lowercased(key))
        let packed = UInt64(entry.location.line) << 24 | UInt64(min(entry.location.column, 0xFFFFFF))
        if let first = keysSeen.insert(hash, value: packed) {
            var diagnostic = Diagnostic.warning(.bibtexDuplicateKey,
                "citation key '\(key)' is already used by the entry at line \(first >> 24)", at: entry.location)
            diagnostic.related = SourceLocation(file: fileName, line: Int(first >> 24), column: Int(first & 0xFFFFFF))
            diagnostics.append(diagnostic)
        }
    }

    // MARK: Output

    private mutating func emit(_ entry: BibTeXEntry, diagnostics: [Diagnostic]) {
        let found = pendingDiagnostics + diagnostics
        pendingDiagnostics = []
        queue.append(PendingRecord(record: {
            // (Taken apart, so that the resource moves into the result instead of being copied out of a whole.)
            let (resource, mappingDiagnostics, fieldLocations) = BibTeXMapping.resource(from: entry)
            var all = found + mappingDiagnostics
            for index in all.indices where all[index].recordID == nil { all[index].recordID = entry.key }
            return ReadResult(
                record: resource, location: entry.location, diagnostics: all, fieldLocationList: fieldLocations)
        }))
    }

    private mutating func finish() {
        finished = true
        // Children whose parent never came: returned in arrival order, with what could be inherited.
        let waitingKeys = Set(waiters.values.compactMap { $0.entry.key?.lowercased() })
        for id in waiters.keys.sorted() {
            guard var waiter = waiters.removeValue(forKey: id) else { continue }
            for key in waiter.missing.sorted() {
                let cycle = waitingKeys.contains(key)
                let seenEarlier = keysSeen.value(for: BibTeXEntry.hash(key)) != nil && !cycle
                let message: String
                if cycle {
                    message = "crossref/xdata '\(key)' refers back to this entry (a cycle); not inherited"
                } else if seenEarlier {
                    message = "crossref/xdata target '\(key)' comes earlier and is not a container entry, so it was not kept for inheritance"
                } else {
                    message = "crossref/xdata target '\(key)' is not in the input"
                }
                waiter.diagnostics.append(
                    .warning(cycle ? .bibtexCrossrefCycle : .bibtexCrossrefMissing, message,
                        at: waiter.entry.field(waiter.entry.crossrefKey == key ? "crossref" : "xdata")?.location
                            ?? waiter.entry.location))
            }
            complete(waiter.entry, diagnostics: waiter.diagnostics, wake: false)
        }
        waitingFor.removeAll()
        if !pendingDiagnostics.isEmpty {
            queue.append(PendingRecord(ReadResult(record: nil, location: nil, diagnostics: pendingDiagnostics)))
            pendingDiagnostics = []
        }
    }

    // MARK: Inheritance

    private mutating func arrive(_ entry: BibTeXEntry, diagnostics: [Diagnostic]) {
        // The usual entry names no parent: nothing to look up or wait for.
        if !entry.has(.xdata) && !entry.has(.crossref) {
            complete(entry, diagnostics: diagnostics, wake: true, inheriting: false)
            return
        }
        var diagnostics = diagnostics
        let ownKey = entry.key?.lowercased()
        var references = entry.xdataKeys
        if let crossref = entry.crossrefKey { references.append(crossref) }
        var missing: Set<String> = []
        for key in references {
            if key == ownKey {
                diagnostics.append(
                    .warning(.bibtexCrossrefCycle, "entry '\(entry.key ?? "")' refers to itself; not inherited",
                        at: entry.location))
                continue
            }
            requested.insert(BibTeXEntry.hash(key), value: 1)
            if !parents.contains(key) { missing.insert(key) }
        }
        if missing.isEmpty {
            complete(entry, diagnostics: diagnostics, wake: true)
            return
        }
        let id = waiterCount
        waiterCount += 1
        waiters[id] = Waiter(entry: entry, diagnostics: diagnostics, missing: missing)
        for key in missing { waitingFor[key, default: []].append(id) }
    }

    /// `inheriting`: false for an entry without `xdata` and `crossref` fields, which ``inherit(_:)`` returns as it is.
    private mutating func complete(_ entry: BibTeXEntry, diagnostics: [Diagnostic], wake: Bool,
        inheriting: Bool = true)
    {
        let resolved = inheriting ? inherit(entry) : entry
        // (`lowercased()` without a new string for a key with no capital; no hash of it while no child waits.)
        let key = entry.key.map(Self.lowercased)
        if let key,
            Self.containerTypes.contains(entry.type) || requested.value(for: BibTeXEntry.hash(key)) != nil
                || (!waitingFor.isEmpty && waitingFor[key] != nil)
        {
            parents.keep(resolved, as: key)
        }
        if entry.type == "xdata" {
            pendingDiagnostics += diagnostics
        } else {
            emit(resolved, diagnostics: diagnostics)
        }
        guard wake, let key, !waitingFor.isEmpty, let ids = waitingFor.removeValue(forKey: key) else { return }
        for id in ids {
            guard var waiter = waiters[id] else { continue }
            waiter.missing.remove(key)
            if waiter.missing.isEmpty {
                waiters[id] = nil
                complete(waiter.entry, diagnostics: waiter.diagnostics, wake: true)
            } else {
                waiters[id] = waiter
            }
        }
    }

    /// Fields never inherited (biblatex's defaults).
    private static let notInherited: Set<String> = [
        "ids", "crossref", "xref", "xdata", "entryset", "entrysubtype", "execute", "label", "options", "presort",
        "related", "relatedoptions", "relatedstring", "relatedtype", "shorthand", "shorthandintro", "sortkey",
    ]

    /// The type-specific renamings of biblatex's default inheritance: source field → target fields, and the
    /// source fields that are not inherited under their own name.
    static func inheritanceRules(parent: String, child: String) -> (renames: [(String, String)], suppressed: Set<String>) {
        let titleFields: Set<String> = ["title", "subtitle", "titleaddon", "shorttitle", "sorttitle", "indextitle",
            "indexsorttitle"]
        func titles(_ prefix: String) -> [(String, String)] {
            [("title", prefix + "title"), ("subtitle", prefix + "subtitle"), ("titleaddon", prefix + "titleaddon")]
        }
        switch (parent, child) {
        case ("mvbook", "book"), ("mvbook", "inbook"), ("mvbook", "bookinbook"), ("mvbook", "suppbook"),
            ("mvcollection", "collection"), ("mvcollection", "reference"), ("mvcollection", "incollection"),
            ("mvcollection", "inreference"), ("mvcollection", "suppcollection"),
            ("mvreference", "collection"), ("mvreference", "reference"), ("mvreference", "incollection"),
            ("mvreference", "inreference"), ("mvreference", "suppcollection"),
            ("mvproceedings", "proceedings"), ("mvproceedings", "inproceedings"):
            var renames = titles("main")
            if parent == "mvbook", child != "book" { renames.append(("author", "bookauthor")) }
            return (renames, titleFields)
        case ("book", "inbook"), ("book", "bookinbook"), ("book", "suppbook"):
            return (titles("book") + [("author", "bookauthor")], titleFields)
        case ("collection", "incollection"), ("collection", "inreference"), ("collection", "suppcollection"),
            ("reference", "incollection"), ("reference", "inreference"), ("reference", "suppcollection"),
            ("proceedings", "inproceedings"), ("book", "incollection"), ("book", "inproceedings"),
            ("collection", "inbook"), ("proceedings", "incollection"):
            return (titles("book"), titleFields)
        case ("periodical", "article"), ("periodical", "suppperiodical"):
            return (titles("journal"), titleFields)
        default:
            return ([], [])
        }
    }

    /// The entry with the fields of its `xdata` and `crossref` parents that it lacks.
    private func inherit(_ entry: BibTeXEntry) -> BibTeXEntry {
        // Most entries name no parent: nothing to inherit, and no set of their field names to build.
        if !entry.has(.xdata) && entry.crossrefKey == nil { return entry }
        var result = entry
        var present = Set(entry.fields.map(\.name))
        func add(_ name: String, _ field: BibTeXEntry.Field) {
            guard !present.contains(name) else { return }
            present.insert(name)
            result.fields.append(.init(name: name, value: field.value, location: field.location, inherited: true))
        }
        let ownKey = entry.key?.lowercased()
        let xdataKeys = entry.xdataKeys
        for key in xdataKeys where key != ownKey {
            guard let parent = parents[key] else { continue }
            for field in parent.fields where !Self.notInherited.contains(field.name) {
                add(field.name, field)
                // xdata fields count as the entry's own (biblatex merges them).
                if let index = result.fields.lastIndex(where: { $0.name == field.name }) {
                    result.fields[index].inherited = field.inherited
                }
            }
        }
        if !xdataKeys.isEmpty && xdataKeys.allSatisfy({ parents[$0] != nil }) {
            result.fields.removeAll { $0.name == "xdata" }
        }
        if let key = entry.crossrefKey, key != ownKey, let parent = parents[key] {
            let rules = Self.inheritanceRules(parent: parent.type, child: entry.type)
            for (source, target) in rules.renames {
                if let field = parent.field(source) { add(target, field) }
            }
            for field in parent.fields
            where !Self.notInherited.contains(field.name) && !rules.suppressed.contains(field.name) {
                add(field.name, field)
            }
        }
        return result
    }
}
