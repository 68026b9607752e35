public import SMRLCore

/// Reads RIS records one at a time, interpreting every tag by the record's type.
///
/// The input is scanned line by line on bytes (``RISScanner``); a record is built, returned, and forgotten, so
/// memory does not grow with the input. The reader also recognises three exports that look like RIS but are not:
/// MEDLINE/PubMed text (read with the MEDLINE tag table, with a `ris.medline-input` warning), Web of Science
/// tagged text (`ris.wos-input`) and Ovid exports (`ris.ovid-input`).
///
/// Mapping (see ``RISTypeInfo`` for the tags whose meaning depends on `TY`):
///
/// | tags | field |
/// |---|---|
/// | `TI`, else `T1`, `CT`, (`BT` for books) | `title` (white space runs collapsed) |
/// | `ST` | `shortTitle` |
/// | `AU`/`A1`, `A2`, `A3`, `A4` (by type), `ED` | `authors`, `editors`, `translators`; several names on one line are split on `;` only |
/// | `T2` (by type), else `JF`, `JO`, `BT` | `containerTitle`; `CONF` with `C3`: `C3` is the proceedings title, `T2` the `event` |
/// | `J2`, else `JA`, `J1`, or a `JO` that differs from the container | `containerTitleShort` |
/// | `T2`/`T3` (by type) | `collectionTitle` |
/// | `DA` (by type), else `PY`, else `Y1`; a later tag of the same year refines the precision | `issued` |
/// | `Y2`, `DA` of `EJOUR`/`EBOOK`/`AGGR`/`DBASE`/`MULTI`/`CASE`, a date in `M1` of `ELEC`/`WEB` | `accessed` |
/// | `VL` (by type: the access year of web pages, a degree of theses… are kept); `IS`, else an issue-like `M1` of journal types | `volume`, `issue` |
/// | `SP` + `EP` (`SP  - 123-145` kept, abbreviated end pages kept as given) | `pages` |
/// | `C7` of `JOUR`/`EJOUR` | `articleNumber` |
/// | `ET` (not for journal articles, where it is the e-pub date) | `edition` |
/// | `PB`, `CY` (else `PP`) | `publisher`, `publisherPlace` |
/// | `DO`, else a DOI alone in `M3`/`N1`, else a doi.org link in `UR`/`L1`–`L4` | `doi` |
/// | a PMID alone in `AN` (when `DB`/`DP` names PubMed), `C1`–`C8`, `U1`–`U5`, `N1` (`PMID: 1`, `1[pmid]`, `PUBMED 1`) | `pmid` |
/// | `PMC…` alone in `C1`–`C8`, `AN`, `U1`–`U5`, `N1` | `pmcid` |
/// | `SN` split into ISSN and ISBN by shape | `issn`, `isbn` |
/// | first `UR` link (a line may hold several, split on `;` or spaces) | `url` |
/// | `AB`, else `N2` | `abstract` |
/// | `KW` (one per line; `;` splits, commas never do); `smrl:` tags → library fields (``LibraryTags``) | `keywords` |
/// | `LA`, `N1` (lines joined by new lines), `RN`, `ID` | `language`, `note`, `description`, `id` |
///
/// Every other tag, and every value that lost out to another (a second container title, a `PY` of another
/// year, an `M1` that is not the issue), is kept in `extra["ris"][TAG]`, so RIS → smrl → RIS keeps every tag.
public struct RISReader: StagedRecordReader {
    private var scanner: RISScanner
    private let options: ReaderOptions
    private var recordIndex = 0
    private var announcedDialect = false
    private var finished = false

    public init(reader: ByteReader, options: ReaderOptions = ReaderOptions()) {
        self.init(reader: reader, options: options, dialect: nil)
    }

    init(reader: ByteReader, options: ReaderOptions, dialect: RISDialect?) {
        input = reader
        scanner = RISScanner(reader: reader, maxRecordBytes: options.maxRecordBytes, dialect: dialect)
        self.options = options
        self.encodingNotes = reader.encodingDiagnostics
    }

    private var encodingNotes: [Diagnostic]
    private let input: ByteReader

    /// The next record found; its tags are interpreted by ``PendingRecord/complete()``, which the conversion
    /// pipeline may run on its other thread (the interpreters keep no state between records).
    public mutating func nextPending() throws -> PendingRecord? {
        guard !finished else { return nil }
        guard var item = scanner.next() else {
            finished = true
            // The source failed part way: the input is unreadable, which is the one reason to throw.
            if let error = input.readError { throw error }
            if recordIndex == 0 {
                let file = scanner.fileName
                var diagnostics = encodingNotes
                encodingNotes = []
                if scanner.sawContent {
                    let message = scanner.dialectForced
                        ? "no MEDLINE record found: no line has the form `PMID- 123` or `TI  - text`"
                        : "no RIS record found: no line has the form `TY  - CODE`"
                    diagnostics.append(.error(.risNoRecords, message, at: SourceLocation(file: file, line: 1, column: 1)))
                }
                return diagnostics.isEmpty
                    ? nil : PendingRecord(ReadResult(record: nil, location: nil, diagnostics: diagnostics))
            }
            return nil
        }
        var diagnostics = encodingNotes
        encodingNotes = []
        let file = scanner.fileName
        let location = SourceLocation(file: file, line: item.line, column: 1)
        // Moved out of the item, not copied (a copy retains every field's strings).
        guard let raw = item.record.take() else {
            return PendingRecord(ReadResult(record: nil, location: location, diagnostics: diagnostics + item.diagnostics))
        }
        if !announcedDialect {
            announcedDialect = true
            switch raw.dialect {
            case .ris: break
            case .medline where scanner.dialectForced:
                break
            case .medline:
                diagnostics.append(
                    .warning(
                        .risMedlineInput,
                        "the input is MEDLINE/PubMed text (PMID- lines), not RIS; it is read as MEDLINE",
                        at: location))
            case .webOfScience:
                diagnostics.append(
                    .warning(
                        .risWebOfScienceInput,
                        "the input is Web of Science tagged text, not RIS; it is read with the Web of Science tags",
                        at: location))
            case .ovid:
                diagnostics.append(
                    .note(.risOvidInput, "the input is an Ovid export (<n. > record markers); read with the Ovid tags",
                        at: location))
            }
        }
        diagnostics += raw.diagnostics
        defer { recordIndex += 1 }
        if raw.oversized {
            diagnostics.append(
                .error(
                    .recordTooLarge,
                    "record starting at line \(raw.line) is larger than \(options.maxRecordBytes) bytes; skipped",
                    at: location))
            return PendingRecord(
                ReadResult(record: nil, location: location, diagnostics: Self.stamp(diagnostics, index: recordIndex, id: nil)))
        }
        if !raw.legacyLines.isEmpty {
            let lines = raw.legacyLines
            let listed = lines.prefix(5).map(String.init).joined(separator: ", ")
            let more = lines.count > 5 ? " and \(lines.count - 5) more" : ""
            diagnostics.append(
                .warning(
                    .legacyEncoding,
                    "line\(lines.count == 1 ? "" : "s") \(listed)\(more) \(lines.count == 1 ? "is" : "are") not UTF-8; decoded as Windows-1252",
                    at: SourceLocation(file: file, line: lines[0], column: 1)))
        }
        let index = recordIndex
        let found = diagnostics
        return PendingRecord(record: {
            var interpretation: RISInterpretation
            switch raw.dialect {
            case .ris: interpretation = RISRecordInterpreter(file: file).interpret(raw)
            case .ovid: interpretation = OvidInterpreter(file: file).interpret(raw)
            case .webOfScience: interpretation = WebOfScienceInterpreter(file: file).interpret(raw)
            case .medline: interpretation = MEDLINEInterpreter(file: file).interpret(raw)
            }
            // The result is made without its record, the record moved in, and the result returned out of an
            // optional: no copy of the record (see ``RecordBuilder/finish()``).
            var result: ReadResult? = ReadResult(
                record: nil, location: location,
                diagnostics: Self.stamp(found + interpretation.diagnostics, index: index, id: interpretation.resource?.id),
                fieldLocationList: interpretation.locations)
            result!.record = interpretation.resource.take()
            return result.take()!
        })
    }

    private static func stamp(_ diagnostics: [Diagnostic], index: Int, id: String?) -> [Diagnostic] {
        diagnostics.map { diagnostic in
            var diagnostic = diagnostic
            if diagnostic.recordIndex == nil { diagnostic.recordIndex = index }
            if diagnostic.recordID == nil { diagnostic.recordID = id }
            return diagnostic
        }
    }
}

/// Field occurrences (``RISRecordInterpreter/fieldID(_:)``) already turned into a field: a short list, as a record
/// has a handful (no hashing), and a `Set` once it has many (no quadratic search in a record of thousands of tags).
struct RISFieldIDSet {
    private var list: [Int] = []
    private var set: Set<Int>?

    mutating func insert(_ id: Int) {
        if set != nil {
            set?.insert(id)
        } else if !list.contains(id) {
            list.append(id)
            if list.count > 32 { set = Set(list) }
        }
    }

    func contains(_ id: Int) -> Bool {
        if let set { return set.contains(id) }
        return list.contains(id)
    }
}

/// A record read into the model, with what the reader has to say about it.
///
/// The record is an optional so that it is moved, never copied, on its way to the ``ReadResult``: each copy of a
/// `Resource` (about 700 bytes, forty fields) retains every field and its destruction releases them again. The
/// reader takes it out with `Optional.take()`.
struct RISInterpretation {
    var resource: Resource?
    var diagnostics: [Diagnostic] = []
    var locations = FieldLocationList()
}

/// Where a field was read (its line and value column): what marking a key needs of a field. The hot loops pass it
/// instead of the field, whose copy (made to pass a field read from its record's list) retains and releases its
/// strings.
struct RISFieldPlace {
    var line: Int
    var column: Int
}

extension RISField {
    /// The field's line and value column.
    @inline(__always)
    var place: RISFieldPlace { RISFieldPlace(line: line, column: column) }
}

/// Shared bookkeeping of the tag interpreters: extra values, field locations, diagnostics.
struct RecordBuilder {
    let file: String
    let format: String
    /// The record being built; an empty record after ``finish()``.
    var resource: Resource
    var diagnostics: [Diagnostic] = []
    /// Where each Resource key was first read from, in the order marked (a list: a record marks a dozen keys,
    /// mostly the same ones again, and a compare of two literal keys costs less than hashing one). Changed only
    /// through ``mark(_:_:)``, ``moveLocation(from:to:)`` and ``removeLocation(_:)``, which keep ``markedKeys`` right.
    private(set) var locations = FieldLocationList()
    /// The keys in ``locations``, a bit each (``RISKey/bit``): exact, since only the methods below change it.
    private var markedKeys: UInt64 = 0

    init(file: String, format: String, type: ItemType) {
        self.file = file
        self.format = format
        resource = Resource(type: type)
        locations.reserveCapacity(24)
    }

    /// The record, its diagnostics and field locations, the record moved out of the builder (which keeps an empty
    /// record: the builder is done). Swapping the record out, building the result with no record and moving the
    /// record into it, and returning the result out of an optional, is what keeps the compiler from copying the
    /// whole record (it copies a large struct made from values, or returned from a variable).
    mutating func finish() -> RISInterpretation {
        var record = Resource()
        swap(&record, &resource)
        var result: RISInterpretation? = RISInterpretation(resource: nil, diagnostics: diagnostics, locations: locations)
        result!.resource = consume record
        return result.take()!
    }

    func location(_ field: RISField) -> SourceLocation {
        SourceLocation(file: file, line: field.line, column: field.column)
    }

    func location(_ place: RISFieldPlace) -> SourceLocation {
        SourceLocation(file: file, line: place.line, column: place.column)
    }

    /// Records where a Resource key was read from (the first time only): a bit test, and for a new key one
    /// append (no search of the list by string, no String made for the key).
    mutating func mark(_ key: RISKey, _ place: RISFieldPlace) {
        if markedKeys & key.bit != 0 { return }
        markedKeys |= key.bit
        // The bits are exact (a key is in the list exactly when its bit is set): no search for it.
        locations.appendNew(key.name, location(place))
    }

    /// ``mark(_:_:)`` at a field's place.
    @inline(__always)
    mutating func mark(_ key: RISKey, _ field: RISField) { mark(key, field.place) }

    /// Moves a key's location to another key (replacing that key's; removing it when the first had none), as when
    /// an abbreviation becomes the title.
    mutating func moveLocation(from source: RISKey, to target: RISKey) {
        let moved = locations.removeValue(forKey: source.name)
        locations[target.name] = moved
        markedKeys &= ~source.bit
        if moved != nil { markedKeys |= target.bit } else { markedKeys &= ~target.bit }
    }

    /// Forgets where a key was read from.
    mutating func removeLocation(_ key: RISKey) {
        locations[key.name] = nil
        markedKeys &= ~key.bit
    }

    /// Keeps a value under `extra[format][tag]`.
    mutating func keep(_ tag: String, _ value: String) {
        guard !value.isEmpty else { return }
        resource.addExtra(format: format, field: tag, value: value)
    }

    /// Keeps a whole field (its lines joined by new lines) under `extra[format][tag]`.
    mutating func keep(_ field: RISField) {
        if field.more.isEmpty {
            keep(field.tag, field.value)
        } else {
            keep(field.tag, field.nonEmptyLinesJoined("\n"))
        }
    }

    mutating func warn(_ code: DiagnosticCode, _ message: String, _ field: RISField, key: String? = nil) {
        diagnostics.append(.warning(code, message, at: location(field), field: key ?? field.tag))
    }

    /// Adds a person to the list of its role (authors, editors, else translators) and marks the list.
    @inline(__always)
    mutating func addPerson(_ person: __owned Person, as role: RISRole, _ place: RISFieldPlace) {
        switch role {
        case .authors:
            resource.authors.append(person)
            mark(.authors, place)
        case .editors:
            resource.editors.append(person)
            mark(.editors, place)
        default:
            resource.translators.append(person)
            mark(.translators, place)
        }
    }

    /// One `KW` line given as UTF-8 bytes (well-formed: a stored value, ``RISRawRecord/valueBytes``): what the
    /// keyword loop of ``RISRecordInterpreter`` does with the line as a String (skip it when empty, split it at
    /// `;`, else one keyword), with the common library tag read from the bytes (no String for the keyword).
    mutating func addKeyword(line bytes: UnsafeBufferPointer<UInt8>, _ place: RISFieldPlace) {
        if bytes.isEmpty { return }
        if let (libraryField, value) = RISLibraryTag.plainTag(bytes: bytes) {
            // A tag as the writer writes it, found in one pass: what the test below finds for it.
            if applyLibraryTag(libraryField, value, place) { return }
        } else if !bytes.contains(0x3B), RISValues.isCompact(bytes: bytes) {
            // What ``addKeyword(_:_:)`` does with a library tag its parser reads (the keyword is compact, so it
            // is its own collapsed form); a tag that is not applied takes that path from the start.
            if let (libraryField, value) = RISLibraryTag.fastParse(bytes: bytes),
                applyLibraryTag(libraryField, value, place)
            {
                return
            }
            // One keyword, compact: ``addKeyword(_:_:)`` without its second test for `;` and for spaces.
            addCollapsedKeyword(UTF8Strings.string(validUTF8: bytes, ascii: RISScanner.isASCII(bytes)), place)
            return
        }
        let line = UTF8Strings.string(validUTF8: bytes, ascii: RISScanner.isASCII(bytes))
        if line.containsByte(0x3B) {
            for keyword in line.splitASCII(0x3B) { addCollapsedKeyword(RISValues.collapseSpaces(String(keyword)), place) }
        } else {
            addCollapsedKeyword(RISValues.collapseSpaces(line), place)
        }
    }

    /// Puts a library tag's value in its field (or finds it there already) and marks the field; false when the
    /// value has no place (an `open-access` value that is no yes or no), and then nothing changed.
    private mutating func applyLibraryTag(_ libraryField: LibraryTags.Field, _ value: String, _ place: RISFieldPlace) -> Bool {
        let key: RISKey
        let present: Bool
        switch libraryField {
        case .domain: key = .domains; present = resource.domains.contains(value)
        case .topic: key = .topics; present = resource.topics.contains(value)
        case .profession: key = .professions; present = resource.professions.contains(value)
        case .resourceType: key = .resourceType; present = resource.resourceType == value
        case .openAccess: key = .openAccess; present = false
        }
        // Room for a few values at the first (a record's lists hold a handful; growing them one by one
        // reallocates at the second and the third).
        switch libraryField {
        case .domain where resource.domains.isEmpty: resource.domains.reserveCapacity(4)
        case .topic where resource.topics.isEmpty: resource.topics.reserveCapacity(4)
        case .profession where resource.professions.isEmpty: resource.professions.reserveCapacity(4)
        default: break
        }
        guard present || RISLibraryTag.apply(libraryField, value, to: &resource) else { return false }
        mark(key, place)
        return true
    }

    /// Adds keywords, turning library tags (`smrl:domain:…`) into library fields.
    mutating func addKeyword(_ raw: String, _ field: RISField) {
        addCollapsedKeyword(RISValues.collapseSpaces(raw), field.place)
    }

    /// ``addKeyword(_:_:)`` of a keyword whose spaces are collapsed already.
    private mutating func addCollapsedKeyword(_ keyword: String, _ place: RISFieldPlace) {
        guard !keyword.isEmpty else { return }
        if RISLibraryTag.hasPrefix(keyword) {
            if let (libraryField, value) = RISLibraryTag.parse(keyword) {
                if applyLibraryTag(libraryField, value, place) { return }
            }
            diagnostics.append(
                .warning(
                    .risBadLibraryTag, "keyword \"\(keyword)\" starts like a library tag but is not one; kept as a keyword",
                    at: location(place), field: "keywords"))
        }
        if resource.keywords.isEmpty { resource.keywords.reserveCapacity(4) }
        resource.keywords.append(keyword)
        mark(.keywords, place)
    }
}

/// Interprets the tags of one RIS record by its `TY`.
struct RISRecordInterpreter {
    let file: String

    static let nameTags: [RISTag] = ["AU", "A1", "A2", "A3", "A4", "ED"]
    private static let titleTags: [RISTag] = ["TI", "T1", "CT"]
    private static let bookTitleTags: [RISTag] = titleTags + ["BT"]
    private static let fullContainerTags: [RISTag] = ["JF", "JO", "BT"]
    private static let shortContainerTags: [RISTag] = ["J2", "JA", "J1"]
    private static let cTags: [RISTag] = ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8"]
    private static let uTags: [RISTag] = ["U1", "U2", "U3", "U4", "U5"]
    private static let linkTags: [RISTag] = ["UR", "L1", "L2", "L3", "L4", "LK"]
    /// Tags that may hold a PMID or PMCID alone, in the order they are tried.
    private static let idTags: [RISTag] = ["AN", "N1", "M2"] + cTags + uTags
    /// Identifier carriers kept in extra when not used, in the order they are kept.
    private static let carrierTags: [RISTag] = ["M3", "AN", "M1", "M2"] + cTags + uTags + linkTags
    /// Tags that may hold a DOI, in the order they are tried: M3 and N1 (a DOI alone), then the links.
    private static let doiTags: [RISTag] = ["M3", "N1"] + linkTags

    /// Fixed tag lists of the interpreter (static: an array literal in the code would be allocated per record).
    private static let tagsABN2: [RISTag] = ["AB", "N2"]
    private static let tagsC3T2: [RISTag] = ["C3", "T2"]
    private static let tagsCYPP: [RISTag] = ["CY", "PP"]
    private static let tagsDBDP: [RISTag] = ["DB", "DP"]
    private static let tagsDAPYY1Y2: [RISTag] = ["DA", "PY", "Y1", "Y2"]
    private static let tagsET: [RISTag] = ["ET"]
    private static let tagsID: [RISTag] = ["ID"]
    private static let tagsIS: [RISTag] = ["IS"]
    private static let tagsLA: [RISTag] = ["LA"]
    private static let tagsLAID: [RISTag] = ["LA", "ID"]
    private static let tagsPB: [RISTag] = ["PB"]
    private static let tagsPBCYPP: [RISTag] = ["PB", "CY", "PP"]
    private static let tagsSPEP: [RISTag] = ["SP", "EP"]
    private static let tagsST: [RISTag] = ["ST"]
    private static let tagsT2: [RISTag] = ["T2"]
    private static let tagsVL: [RISTag] = ["VL"]
    private static let tagsVLIS: [RISTag] = ["VL", "IS"]
    private static let tagsT2T3: [RISTag] = ["T2", "T3"]
    private static let tagsPYY1: [RISTag] = ["PY", "Y1"]
    private static let tagsDAPYY1: [RISTag] = ["DA", "PY", "Y1"]
    private static let tagsY2DA: [RISTag] = ["Y2", "DA"]
    private static let tagsY2M1: [RISTag] = ["Y2", "M1"]
    private static let tagsY2DAM1: [RISTag] = ["Y2", "DA", "M1"]
    /// T2 and T3 as chosen by two bits (1: T2, 2: T3), in that order.
    private static let t2t3Lists: [[RISTag]] = (0..<4).map { bits in
        tagsT2T3.enumerated().filter { bits & (1 << $0.offset) != 0 }.map(\.element)
    }
    /// The container tags: T2 and T3 chosen by two bits (1: T2, 2: T3), then JF, JO and BT, without BT when the
    /// bit 4 (a book) is set.
    private static let fullTagLists: [[RISTag]] = (0..<8).map { bits in
        t2t3Lists[bits & 3] + fullContainerTags.filter { !(bits & 4 != 0 && $0 == "BT") }
    }
    private static let tagsY2: [RISTag] = ["Y2"]

    func interpret(_ raw: RISRawRecord) -> RISInterpretation {
        // The type.
        var info = RISTypeInfo.generic
        var typeValue: String?
        var builder: RecordBuilder
        if let ty = raw.first("TY") {
            typeValue = ty.joined
            if let (found, alias) = RISTypeInfo.lookup(ty.joined) {
                info = found
                builder = RecordBuilder(file: file, format: "ris", type: found.type)
                if alias {
                    builder.diagnostics.append(
                        .note(
                            .risTypeAlias, "type \"\(ty.joined)\" read as \(found.code) (\(found.summary))",
                            at: builder.location(ty), field: "TY"))
                }
            } else {
                builder = RecordBuilder(file: file, format: "ris", type: .document)
                builder.warn(
                    .risUnknownType,
                    ty.joined.isEmpty
                        ? "empty TY; read as a generic document"
                        : "unknown type \"\(ty.joined)\"; read as a generic document", ty, key: "type")
                info = RISTypeInfo(code: "", type: .document, summary: "unknown", roles: [:])
            }
            builder.mark(.type, ty)
        } else {
            builder = RecordBuilder(file: file, format: "ris", type: .document)
        }
        if let typeValue, !typeValue.isEmpty, !info.isExportCode {
            // EJOUR, CPAPER, ECHAP…: keep the code so that RIS → RIS writes it again.
            builder.keep("TY", info.code.isEmpty ? typeValue : info.code)
        }

        // The fields by tag: the chains the scanner linked (``RISRawRecord/fields(_:)``), no list made per tag.
        // Names and keywords are read from `raw.fields` in input order; no tag list below names them.
        let byTag = raw
        // The loops over `raw.fields` go by index and test the tag in place: a `for field in` loop copies every
        // field (three references retained and released) before its `where` clause looks at the tag.
        let fieldCount = raw.fields.count
        var nameFields = 0
        var keywordFields = 0
        for index in 0..<fieldCount {
            let key = raw.fields[index].key
            if key == "KW" {
                keywordFields += 1
            } else if Self.isNameTag(key) {
                nameFields += 1
            }
        }
        var handled = RISTagSet(["TY"])
        func fields(_ tag: RISTag) -> RISTagFields { byTag.fields(tag) }
        func nonEmpty(_ tag: RISTag) -> [RISField] { fields(tag).filter { !$0.joined.isEmpty } }

        // Names, in input order (A1 and AU interleave). Room for them up front (a record's authors would
        // otherwise grow their list two or three times).
        if nameFields > 1 { builder.resource.authors.reserveCapacity(nameFields) }
        // The fields are read in place (``RISRawRecord/withStorage(_:)``): a name kept as bytes is read and marked
        // without a copy of its field; any other takes a copy, as before.
        if nameFields > 0 {
            // The type read through a constant: the closure copied the variable `info` (its strings and lists
            // retained and released) for each name it asked.
            let typeInfo = info
            let authorRole = typeInfo.role("AU") ?? .authors
            raw.withStorage { fields, bytes in
                for index in 0..<fieldCount where Self.isNameTag(fields[index].key) {
                    let role: RISRole
                    switch fields[index].key {
                    case "AU", "A1": role = authorRole
                    case "ED": role = .editors
                    default: role = typeInfo.role(fields[index].key) ?? .extra
                    }
                    if fields[index].isStored {
                        // One line kept as bytes (``RISRawRecord/valueBytes``): one name read from them, as the
                        // String path below reads it; any other case takes that path.
                        let value = RISRawRecord.storedBytes(fields[index], in: bytes)
                        if !value.isEmpty, !value.contains(0x3B), role == .authors || role == .editors || role == .translators {
                            guard let person = RISValues.person(bytes: value) else { continue }
                            builder.addPerson(person, as: role, RISFieldPlace(line: fields[index].line, column: fields[index].column))
                            continue
                        }
                    }
                    Self.readNames(raw.materialized(fields[index]), role: role, builder: &builder)
                }
            }
        }
        handled.formUnion(Self.nameTags)

        // Titles.
        let isBook = info.isBookType
        let titleTags = isBook ? Self.bookTitleTags : Self.titleTags
        builder.resource.title = pickFirst(titleTags, current: builder.resource.title, key: .title, collapse: true, byTag: byTag, builder: &builder)
        handled.formUnion(titleTags)
        builder.resource.shortTitle = pickFirst(Self.tagsST, current: builder.resource.shortTitle, key: .shortTitle, collapse: true, byTag: byTag, builder: &builder)
        handled.insert("ST")

        // Container, series, event.
        // The tag lists are fixed ones chosen by the roles of T2 and T3 (none made per record).
        var t2IsContainer = info.role("T2") == .container
        let t3IsContainer = info.role("T3") == .container
        let collectionTags = Self.t2t3Lists[(info.role("T2") == .collection ? 1 : 0) | (info.role("T3") == .collection ? 2 : 0)]
        if info.code == "CONF", let proceedings = nonEmpty("C3").first {
            // EndNote's conference proceedings: C3 is the proceedings title, T2 the conference name.
            builder.resource.containerTitle = RISValues.collapseSpaces(proceedings.joined)
            builder.mark(.containerTitle, proceedings)
            for field in fields("C3").dropFirst() { builder.keep(field) }
            builder.resource.event = pickFirst(Self.tagsT2, current: builder.resource.event, key: .event, collapse: true, byTag: byTag, builder: &builder)
            t2IsContainer = false
            handled.formUnion(Self.tagsC3T2)
        }
        // The container tags (T2, T3 by type) before JF, JO and BT (not BT for books).
        let fullTags = Self.fullTagLists[(t2IsContainer ? 1 : 0) | (t3IsContainer ? 2 : 0) | (isBook ? 4 : 0)]
        // Asked here, not in the closure: a closure that captured the record copied it (its lists retained).
        let noShortTitleTag = !byTag.has("J2") && !byTag.has("JA") && !byTag.has("J1")
        builder.resource.containerTitle = pickFirst(fullTags, current: builder.resource.containerTitle, key: .containerTitle, collapse: true, byTag: byTag,
            builder: &builder, spill: { value, field, builder in
                // A JO beside a full journal title is its abbreviation (Zotero's reading).
                if field.key == "JO", builder.resource.containerTitleShort == nil, noShortTitleTag {
                    builder.resource.containerTitleShort = value
                    builder.mark(.containerTitleShort, field)
                    return true
                }
                return false
            })
        handled.formUnion(fullTags)
        builder.resource.containerTitleShort = pickFirst(Self.shortContainerTags, current: builder.resource.containerTitleShort, key: .containerTitleShort, collapse: true,
            byTag: byTag, builder: &builder)
        handled.formUnion(Self.shortContainerTags)
        if builder.resource.containerTitle == nil, let short = builder.resource.containerTitleShort,
            info.isJournalType
        {
            // Only an abbreviation (Cochrane's JA): it is the container title we have.
            builder.resource.containerTitle = short
            builder.resource.containerTitleShort = nil
            builder.moveLocation(from: .containerTitleShort, to: .containerTitle)
        }
        builder.resource.collectionTitle = pickFirst(collectionTags, current: builder.resource.collectionTitle, key: .collectionTitle, collapse: true, byTag: byTag,
            builder: &builder)
        handled.formUnion(collectionTags)

        // Dates.
        readDates(info: info, byTag: byTag, builder: &builder)
        handled.formUnion(Self.tagsDAPYY1Y2)

        // Volume, issue, pages, article number, edition.
        if info.role("VL") == .volume {
            builder.resource.volume = pickFirst(Self.tagsVL, current: builder.resource.volume, key: .volume, collapse: true, byTag: byTag, builder: &builder)
        } else {
            for field in fields("VL") { builder.keep(field) }
        }
        builder.resource.issue = pickFirst(Self.tagsIS, current: builder.resource.issue, key: .issue, collapse: true, byTag: byTag, builder: &builder)
        handled.formUnion(Self.tagsVLIS)
        for field in fields("M1") where info.role("M1") != .accessed {
            let value = RISValues.collapseSpaces(field.joined)
            if value.isEmpty { continue }
            if info.role("M1") == .issue, looksLikeIssue(value) {
                if builder.resource.issue == nil {
                    builder.resource.issue = value
                    builder.mark(.issue, field)
                    continue
                }
                if builder.resource.issue == value { continue }
            }
            builder.keep(field)
        }
        handled.insert("M1")
        readPages(info: info, byTag: byTag, builder: &builder)
        handled.formUnion(Self.tagsSPEP)
        var consumed = RISFieldIDSet()
        if info.role("C7") == .articleNumber {
            for field in nonEmpty("C7") where RISValues.standalonePMCID(field.joined) == nil {
                let value = RISValues.collapseSpaces(field.joined)
                if builder.resource.articleNumber == nil {
                    builder.resource.articleNumber = value
                    builder.mark(.articleNumber, field)
                }
                if builder.resource.articleNumber == value { consumed.insert(Self.fieldID(field)) }
            }
        }
        if info.role("ET") == .edition {
            builder.resource.edition = pickFirst(Self.tagsET, current: builder.resource.edition, key: .edition, collapse: true, byTag: byTag, builder: &builder)
            handled.insert("ET")
        }

        // Publisher.
        builder.resource.publisher = pickFirst(Self.tagsPB, current: builder.resource.publisher, key: .publisher, collapse: true, byTag: byTag, builder: &builder)
        builder.resource.publisherPlace = pickFirst(Self.tagsCYPP, current: builder.resource.publisherPlace, key: .publisherPlace, collapse: true, byTag: byTag,
            builder: &builder)
        handled.formUnion(Self.tagsPBCYPP)

        // Text.
        builder.resource.abstract = pickFirst(Self.tagsABN2, current: builder.resource.abstract, key: .abstract, collapse: false, byTag: byTag, builder: &builder,
            paragraphs: true)
        handled.formUnion(Self.tagsABN2)
        if keywordFields > 0 {
            // In place, as the names: a line kept as bytes is read without a copy of its field.
            raw.withStorage { fields, bytes in
                for index in 0..<fieldCount where fields[index].key == "KW" {
                    if fields[index].isStored {
                        // One line kept as bytes: read from them, Strings made only for what is kept.
                        builder.addKeyword(
                            line: RISRawRecord.storedBytes(fields[index], in: bytes),
                            RISFieldPlace(line: fields[index].line, column: fields[index].column))
                        continue
                    }
                    let field = fields[index]
                    for lineIndex in 0..<field.lineCount {
                        let line = field.line(lineIndex)
                        if line.isEmpty { continue }
                        if line.containsByte(0x3B) {
                            for keyword in line.splitASCII(0x3B) { builder.addKeyword(String(keyword), field) }
                        } else {
                            builder.addKeyword(line, field)
                        }
                    }
                }
            }
        }
        handled.insert("KW")
        builder.resource.language = pickFirst(Self.tagsLA, current: builder.resource.language, key: .language, collapse: true, byTag: byTag, builder: &builder)
        builder.resource.id = pickFirst(Self.tagsID, current: builder.resource.id, key: .id, collapse: true, byTag: byTag, builder: &builder)
        handled.formUnion(Self.tagsLAID)
        var descriptions: [String] = []
        for field in fields("RN") {
            let text = field.nonEmptyLinesJoined("\n")
            if !text.isEmpty {
                descriptions.append(text)
                builder.mark(.description, field)
            }
        }
        if !descriptions.isEmpty { builder.resource.description = descriptions.joined(separator: "\n") }
        handled.insert("RN")

        // Identifiers and links.
        readIdentifiers(info: info, byTag: byTag, builder: &builder, handled: &handled, consumed: &consumed)

        // Everything else is kept as it came.
        raw.withStorage { fields, _ in
            for index in 0..<fieldCount where !handled.contains(fields[index]) {
                builder.keep(raw.materialized(fields[index]))
            }
        }
        return builder.finish()
    }

    /// The names of one name field that is not one line kept as bytes: split at `;` only (a line without one is one
    /// name, taken without a split), added to the list of `role`, or the field kept when the role is no list.
    private static func readNames(_ field: RISField, role: RISRole, builder: inout RecordBuilder) {
        if field.more.isEmpty, !field.value.isEmpty, !field.value.containsByte(0x3B) {
            // One name on one line (the common case): what the lists below give, without them.
            switch role {
            case .authors, .editors, .translators:
                guard let person = RISValues.person(field.value) else { return }
                builder.addPerson(person, as: role, field.place)
            default:
                builder.keep(field)
            }
            return
        }
        var names: [String] = []
        for line in field.lines where !line.isEmpty {
            if line.containsByte(0x3B) {
                for name in line.splitASCII(0x3B) { names.append(String(name)) }
            } else {
                names.append(line)
            }
        }
        switch role {
        case .authors, .editors, .translators:
            let people = names.compactMap(RISValues.person)
            guard !people.isEmpty else { return }
            switch role {
            case .authors:
                builder.resource.authors += people
                builder.mark(.authors, field)
            case .editors:
                builder.resource.editors += people
                builder.mark(.editors, field)
            default:
                builder.resource.translators += people
                builder.mark(.translators, field)
            }
        default:
            builder.keep(field)
        }
    }

    /// A field's value: `current` when set, else the first non-empty value of `tags` (in priority order); later
    /// values that differ are kept in extra, equal ones are dropped as repeats. The caller stores the result
    /// (`spill` and `keep` never touch the field; a key path into a struct as large as Resource went through the
    /// runtime on every read).
    private func pickFirst(
        _ tags: [RISTag], current initial: String?, key: RISKey, collapse: Bool,
        byTag: RISRawRecord, builder: inout RecordBuilder, paragraphs: Bool = false,
        spill: ((String, RISField, inout RecordBuilder) -> Bool)? = nil
    ) -> String? {
        var current = initial
        let fields = byTag.fields
        for tag in tags {
            // By position along the tag's chain: the field is read in place in the record's list, not copied (its
            // references retained) for each look.
            var index = byTag.firstPosition(tag)
            while index >= 0 {
                defer { index = Int(fields[index].next) }
                let value: String
                if paragraphs {
                    value = fields[index].more.isEmpty ? fields[index].value : RISValues.paragraphs(fields[index].lines)
                } else if fields[index].valueIsCompact, fields[index].more.isEmpty {
                    // One line the scanner found compact: collapsing its spaces gives it unchanged.
                    value = fields[index].value
                } else {
                    value = collapse ? RISValues.collapseSpaces(fields[index].joined) : fields[index].joined
                }
                if value.isEmpty { continue }
                if current == nil {
                    current = value
                    builder.mark(key, RISFieldPlace(line: fields[index].line, column: fields[index].column))
                } else if current != value {
                    if let spill, spill(value, fields[index], &builder) { continue }
                    builder.keep(fields[index])
                }
            }
        }
        return current
    }

    private func looksLikeIssue(_ value: String) -> Bool {
        value.count <= 12 && value.contains(where: { $0.isNumber })
            && value.split(separator: " ").count <= 3
    }

    // MARK: Dates

    private struct DateCandidate {
        var field: RISField
        var parsed: RISValues.ParsedDate
    }

    private func readDates(info: RISTypeInfo, byTag: RISRawRecord, builder: inout RecordBuilder) {
        var issuedTags = Self.tagsPYY1
        var accessedTags = Self.tagsY2
        switch info.role("DA") {
        case .issued: issuedTags = Self.tagsDAPYY1
        case .accessed: accessedTags = Self.tagsY2DA
        default: for field in byTag.fields("DA") { builder.keep(field) }
        }
        var m1Dates: [RISField]?
        if info.role("M1") == .accessed {
            // EndNote's web pages give the access date in M1; anything else there is kept.
            var dates: [RISField] = []
            for field in byTag.fields("M1") where !field.joined.isEmpty {
                if case .date = RISValues.date(field.joined) { dates.append(field) } else { builder.keep(field) }
            }
            m1Dates = dates
            accessedTags = accessedTags.count == 1 ? Self.tagsY2M1 : Self.tagsY2DAM1
        }
        if let (date, _) = choose(issuedTags, byTag: byTag, m1: m1Dates, builder: &builder, key: .issued) {
            builder.resource.issued = date
        }
        if let (date, _) = choose(accessedTags, byTag: byTag, m1: m1Dates, builder: &builder, key: .accessed) {
            builder.resource.accessed = date
        }
    }

    /// Picks a date from the candidate tags in priority order and keeps every value that says something else.
    /// `m1`, when given, stands for the `M1` fields (those of them that hold dates).
    private func choose(
        _ tags: [RISTag], byTag: RISRawRecord, m1: [RISField]?, builder: inout RecordBuilder, key: RISKey
    ) -> (EDTFDate, RISField)? {
        // Room for a few when the first is found (most records have no access date: no list allocated for them).
        var candidates: [DateCandidate] = []
        for tag in tags {
            if tag == "M1", let m1 {
                for field in m1 where !field.joined.isEmpty {
                    if candidates.isEmpty { candidates.reserveCapacity(4) }
                    candidates.append(DateCandidate(field: field, parsed: RISValues.date(field.joined)))
                }
                continue
            }
            for field in byTag.fields(tag) where !field.joined.isEmpty {
                if candidates.isEmpty { candidates.reserveCapacity(4) }
                candidates.append(DateCandidate(field: field, parsed: RISValues.date(field.joined)))
            }
        }
        guard !candidates.isEmpty else { return nil }
        // The first candidate with a year wins; a partial one (no year) waits for a year from a later tag.
        var chosenIndex: Int?
        var partial: (month: Int?, day: Int?, index: Int)?
        for (index, candidate) in candidates.enumerated() {
            switch candidate.parsed {
            case .date:
                if chosenIndex == nil { chosenIndex = index }
            case .partial(let month, let day):
                if partial == nil && chosenIndex == nil { partial = (month, day, index) }
            default: break
            }
        }
        var chosen: EDTFDate?
        var chosenField: RISField?
        // Which candidates were used: a bit each (a record has a few), a list past 64.
        var usedBits: UInt64 = 0
        var usedList = candidates.count > 64 ? [Bool](repeating: false, count: candidates.count) : []
        func markUsed(_ index: Int) {
            if index < 64 { usedBits |= 1 << UInt64(index) } else { usedList[index] = true }
        }
        func isUsed(_ index: Int) -> Bool { index < 64 ? usedBits & (1 << UInt64(index)) != 0 : usedList[index] }
        if let index = chosenIndex, case .date(var date, let other) = candidates[index].parsed {
            chosenField = candidates[index].field
            markUsed(index)
            if let partial, partial.index < index, let start = date.start, !date.isInterval, start.month == nil {
                // `DA  - May 15` + `PY  - 2019`: the year completes the earlier, more precise date.
                date = EDTFDate(year: start.year, month: partial.month, day: partial.day)
                markUsed(partial.index)
                chosenField = candidates[partial.index].field
            } else if other == nil {
                // A later tag of the same year may say more (PY 2015 + Y1 2015/09/10).
                for (later, candidate) in candidates.enumerated() where later > index {
                    if case .date(let finer, nil) = candidate.parsed, RISValues.refines(finer, date) {
                        date = finer
                        markUsed(later)
                        break
                    }
                }
            }
            chosen = date
            if other != nil {
                // `2017/04/07/online`: the fourth part has no place; the raw value is kept so RIS → RIS keeps it.
                builder.keep(candidates[index].field)
            }
        } else if let first = candidates.firstIndex(where: {
            if case .literal = $0.parsed { return true } else { return false }
        }), case .literal(let text) = candidates[first].parsed {
            chosen = EDTFDate(literal: text)
            chosenField = candidates[first].field
            markUsed(first)
            builder.warn(.risUnparsedDate, "date \"\(text)\" has no RIS date form; kept as text", candidates[first].field, key: key.name)
        }
        guard let chosen, let chosenField else {
            for candidate in candidates { builder.keep(candidate.field) }
            return nil
        }
        builder.mark(key, chosenField)
        for (index, candidate) in candidates.enumerated() where !isUsed(index) {
            switch candidate.parsed {
            case .date(let date, nil) where RISValues.agrees(date, with: chosen): continue
            default: builder.keep(candidate.field)
            }
        }
        return (chosen, chosenField)
    }

    // MARK: Pages

    func readPages(info: RISTypeInfo, byTag: RISRawRecord, builder: inout RecordBuilder) {
        // The non-empty SP and EP fields by their positions in the record (no list of them made: a record has one
        // of each, and two filtered lists cost two allocations and a copy of each field).
        let startFields = byTag.fields("SP")
        let endFields = byTag.fields("EP")
        var firstStart: Int?
        var startCount = 0
        for index in startFields.indices where !startFields[index].joined.isEmpty {
            if firstStart == nil { firstStart = index }
            startCount += 1
        }
        var firstEnd: Int?
        for index in endFields.indices where !endFields[index].joined.isEmpty {
            firstEnd = index
            break
        }
        // Types whose SP is the number of pages (BOOK, THES…) still take a page range as pages.
        guard info.role("SP") == .pages
            || (startCount == 1 && RISValues.pageRange(RISValues.normalizePages(startFields[firstStart!].joined)) != nil)
        else {
            for field in startFields where !field.joined.isEmpty { builder.keep(field) }
            for field in endFields where !field.joined.isEmpty { builder.keep(field) }
            return
        }
        var usedEnd = false
        if let firstStart {
            let start = startFields[firstStart]
            let first = RISValues.normalizePages(start.joined)
            if let range = RISValues.pageRange(first) {
                builder.resource.pages = first
                if let firstEnd, RISValues.normalizePages(endFields[firstEnd].joined) == range.last { usedEnd = true }
            } else if let firstEnd {
                let last = RISValues.normalizePages(endFields[firstEnd].joined)
                builder.resource.pages = last == first ? first : first + "-" + last
                usedEnd = true
            } else {
                builder.resource.pages = first
            }
            builder.mark(.pages, start)
            for index in startFields.indices where index != firstStart && !startFields[index].joined.isEmpty {
                if RISValues.normalizePages(startFields[index].joined) != builder.resource.pages {
                    builder.keep(startFields[index])
                }
            }
        }
        for index in endFields.indices where !(usedEnd && index == firstEnd) && !endFields[index].joined.isEmpty {
            builder.keep(endFields[index])
        }
    }

    // MARK: Identifiers

    /// Identifies one field occurrence (for values turned into a field and not to be kept again).
    static func fieldID(_ field: RISField) -> Int { field.line &* 65_536 &+ field.column }

    private func readIdentifiers(
        info: RISTypeInfo, byTag: RISRawRecord, builder: inout RecordBuilder,
        handled: inout RISTagSet, consumed: inout RISFieldIDSet
    ) {
        func id(_ field: RISField) -> Int { Self.fieldID(field) }

        // DOI: DO first.
        for field in byTag.fields("DO") where !field.joined.isEmpty {
            if let doi = RISValues.doiFromDOTag(field.joined) {
                if builder.resource.doi == nil {
                    builder.resource.doi = doi
                    builder.mark(.doi, field)
                    consumed.insert(id(field))
                } else if builder.resource.doi?.lowercased() == doi.lowercased() {
                    consumed.insert(id(field))
                }
            } else {
                builder.warn(.risInvalidDOI, "no DOI found in \"\(field.joined.prefix(60))\"; kept as is", field, key: "doi")
            }
            if !consumed.contains(id(field)) { builder.keep(field) }
        }
        handled.insert("DO")
        // Then a DOI standing alone in M3 or N1, then a doi.org link.
        for (position, tag) in Self.doiTags.enumerated() {
            // M3 and N1 hold a DOI alone; the rest are links.
            let isLink = position >= 2
            // A link only gives the DOI when there is none yet: past that, links need no reading here.
            if isLink && builder.resource.doi != nil { continue }
            for field in byTag.fields(tag) {
                if isLink && builder.resource.doi != nil { break }
                for lineIndex in 0..<field.lineCount {
                    let line = field.line(lineIndex)
                    if line.isEmpty { continue }
                    let tokens = isLink ? splitLinks(line) : [line]
                    for token in tokens {
                        if isLink && builder.resource.doi != nil { break }
                        guard let doi = RISValues.standaloneDOI(token) else { continue }
                        if builder.resource.doi == nil {
                            builder.resource.doi = doi
                            builder.mark(.doi, field)
                        }
                        if !isLink, field.lineCount == 1, builder.resource.doi?.lowercased() == doi.lowercased() {
                            consumed.insert(id(field))
                        }
                    }
                }
            }
        }

        // PMID and PMCID.
        // Only a bare `AN` number asks whether `DB` or `DP` names PubMed.
        var pubmedDatabase = false
        if byTag.has("AN") {
            for tag in Self.tagsDBDP where !pubmedDatabase {
                for field in byTag.fields(tag) {
                    let name = field.joined.lowercased()
                    if RISValues.namesPubMedOrMedline(name) || name == "nlm" {
                        pubmedDatabase = true
                        break
                    }
                }
            }
        }
        let journalC2 = info.role("C7") == .articleNumber
        let idTags = Self.idTags
        // A tag the record lacks is passed over on its chain look-up alone (making its empty field list costs more).
        for tag in idTags where byTag.has(tag) {
            for field in byTag.fields(tag) where field.lineCount == 1 && !consumed.contains(id(field)) {
                let value = field.joined
                if value.isEmpty { continue }
                if let pmcid = RISValues.standalonePMCID(value) {
                    if builder.resource.pmcid == nil {
                        builder.resource.pmcid = pmcid
                        builder.mark(.pmcid, field)
                    }
                    if builder.resource.pmcid == pmcid { consumed.insert(id(field)) }
                    continue
                }
                let bare = (tag == "AN" && pubmedDatabase) || (tag == "C2" && journalC2)
                if let pmid = RISValues.standalonePMID(value, bareDigits: bare) {
                    if builder.resource.pmid == nil {
                        builder.resource.pmid = pmid
                        builder.mark(.pmid, field)
                    }
                    if builder.resource.pmid == pmid { consumed.insert(id(field)) }
                    continue
                }
                if builder.resource.pmid == nil, Self.isCTagOrN1(tag),
                    let pmid = RISValues.embeddedPMID(value)
                {
                    builder.resource.pmid = pmid
                    builder.mark(.pmid, field)
                }
            }
        }

        // ISSN / ISBN.
        for field in byTag.fields("SN") {
            let (issns, isbns, rest) = RISValues.serialNumbers(
                field.more.isEmpty ? field.value : field.lines.joined(separator: "\n"))
            for issn in issns where !builder.resource.issn.contains(issn) { builder.resource.issn.append(issn) }
            for isbn in isbns where !builder.resource.isbn.contains(isbn) { builder.resource.isbn.append(isbn) }
            if !issns.isEmpty { builder.mark(.issn, field) }
            if !isbns.isEmpty { builder.mark(.isbn, field) }
            for value in rest { builder.keep("SN", value) }
        }
        handled.insert("SN")

        // URL: the first link of UR; other links stay in extra.
        for field in byTag.fields("UR") {
            for lineIndex in 0..<field.lineCount {
                let line = field.line(lineIndex)
                if line.isEmpty { continue }
                for link in splitLinks(line) {
                    if builder.resource.url == nil {
                        builder.resource.url = link
                        builder.mark(.url, field)
                    } else {
                        builder.keep("UR", link)
                    }
                }
            }
        }
        handled.insert("UR")

        // Notes: lines that only repeat an identifier are dropped; the rest is the note.
        var notes: [String] = []
        for field in byTag.fields("N1") where !consumed.contains(id(field)) {
            let text = field.nonEmptyLinesJoined("\n")
            if text.isEmpty { continue }
            notes.append(text)
            builder.mark(.note, field)
        }
        if !notes.isEmpty { builder.resource.note = notes.joined(separator: "\n") }
        handled.insert("N1")

        // Identifier carriers that were not used stay in extra.
        // (A tag the record lacks need not be marked handled: only the record's own fields are looked up.)
        for tag in Self.carrierTags
        where tag != "UR" && byTag.has(tag) && !handled.contains(tag) {
            for field in byTag.fields(tag) where !consumed.contains(id(field)) { builder.keep(field) }
            handled.insert(tag)
        }
    }

    /// True for the name tags (``nameTags``: `AU`, `A1`–`A4`, `ED`), on the tag's code.
    @inline(__always)
    static func isNameTag(_ tag: RISTag) -> Bool {
        let first = tag.code >> 8
        let second = tag.code & 0xFF
        return tag.code <= 0xFFFF
            && ((first == 0x41 && (second == 0x55 || (second >= 0x31 && second <= 0x34))) || (first == 0x45 && second == 0x44))
    }

    /// True for `C1`–`C8` and `N1` (the tags that may name a PMID inside a longer value), on the tag's code.
    @inline(__always)
    private static func isCTagOrN1(_ tag: RISTag) -> Bool {
        let first = tag.code >> 8
        let second = tag.code & 0xFF
        return tag.code <= 0xFFFF && ((first == 0x43 && second >= 0x31 && second <= 0x38) || (first == 0x4E && second == 0x31))
    }

    /// Links in one `UR` line: split on `;` and on white space when every piece is a link.
    private func splitLinks(_ line: String) -> [String] {
        guard line.utf8.contains(where: { $0 == 0x3B || $0 == 0x20 || $0 == 0x09 }) else { return [line] }
        let pieces = line.split(whereSeparator: { $0 == ";" || $0 == " " || $0 == "\t" }).map(String.init)
        if pieces.count > 1, pieces.allSatisfy({ $0.contains("://") || $0.lowercased().hasPrefix("www.") }) {
            return pieces
        }
        let bySemicolon = line.splitASCII(0x3B).map { $0.trimmed }.filter { !$0.isEmpty }
        return bySemicolon.isEmpty ? [] : bySemicolon
    }
}
