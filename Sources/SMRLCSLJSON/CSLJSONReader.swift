public import SMRLCore

/// Reads CSL-JSON: a top-level array of items (read element by element, so memory holds one item at a time
/// whatever the file size), a single item object, one item per line (NDJSON), or a CSL 1.1 document
/// `{"version": 1.1, "references": [...]}` (that one is one JSON value, so it is held whole).
///
/// Settings (``ReaderOptions/settings``):
/// - `csl-json.lines` = `true` | `false` | `auto` (default): `auto` reads one item per line when the input starts
///   with `{` (which also reads a single, even pretty-printed, object) and a JSON array when it starts with `[`.
/// - `csl-json.note-variables` = `true` (default) | `false`: promote Zotero's `key: value` lines of `note`
///   (see ``CSLNoteVariables``).
///
/// A syntax error skips only the item it is in (`json.syntax`, with line and column); an element that is no
/// object is reported (`csl-json.not-an-item`) and skipped. No item is ever dropped for its content: unknown
/// types, keys and malformed values are warnings, and what has no place in ``Resource`` is kept in
/// `extra["csl-json"]` so that CSL → smrl → CSL gives the item back.
public struct CSLJSONReader: StagedRecordReader {
    private var stream: JSONStreamReader
    private let fileName: String
    private let noteVariables: Bool
    /// The items of a CSL 1.1 document still to hand on.
    private var queue: [PendingRecord] = []
    private var queueStart = 0
    private var pendingDiagnostics: [Diagnostic]
    private var recordIndex = 0
    private var finished = false
    /// Reads plain items straight into records (nil: every element goes the usual route).
    private let direct: CSLDirectDecoder?
    /// How many elements were decoded directly (for the tests).
    package private(set) var decodedDirectly = 0
    /// How many elements were handed on unparsed (``handOnPending(_:)``; for the tests).
    package private(set) var handedOn = 0
    private let options: ReaderOptions
    /// One item per line (else a document: an array of items or one value).
    private let lines: Bool

    public init(reader: ByteReader, options: ReaderOptions = ReaderOptions()) {
        self.init(reader: reader, options: options, decodingDirectly: true)
    }

    /// - Parameter decodingDirectly: false reads every element the usual route (parsed into a ``JSONValue``,
    ///   then decoded by ``CSLItemDecoder``): what the tests compare the direct decoding with.
    package init(reader: ByteReader, options: ReaderOptions = ReaderOptions(), decodingDirectly: Bool) {
        let layout: JSONStreamReader.Layout
        switch options.settings["csl-json.lines"]?.lowercased() {
        case "true", "yes", "1": layout = .lines
        case "false", "no", "0": layout = .document
        default:
            let prefix = reader.prefix(4096)
            let first = prefix.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
            layout = first == UInt8(ascii: "{") ? .lines : .document
        }
        stream = JSONStreamReader(input: reader, layout: layout, options: options)
        lines = layout == .lines
        self.options = options
        fileName = reader.fileName
        switch options.settings["csl-json.note-variables"]?.lowercased() {
        case "false", "no", "0": noteVariables = false
        default: noteVariables = true
        }
        pendingDiagnostics = reader.encodingDiagnostics
        direct = decodingDirectly ? CSLDirectDecoder(file: reader.fileName, noteVariables: noteVariables) : nil
        stream.directDecoder = direct?.streamDecoder
    }

    /// A reader of one element handed on, through the tree route (``read(_:at:index:notes:options:noteVariables:directly:)``).
    private init(stream: JSONStreamReader, fileName: String, options: ReaderOptions, noteVariables: Bool) {
        self.stream = stream
        self.fileName = fileName
        self.options = options
        self.noteVariables = noteVariables
        lines = true
        pendingDiagnostics = []
        direct = nil
    }

    /// While `handOn`, ``nextPending()`` only finds and checks an item that is one well-formed object (an element
    /// of the array, or a line: ``JSONStreamReader/handsOnElements``, ``JSONStreamReader/handsOnLines``), a small
    /// part of reading it, and ``PendingRecord/complete()`` reads it, directly or through the tree exactly as
    /// ``nextPending()`` would, so that the other thread can take the reading on. An object with a member
    /// `references` (or a member name with an escape) may be a CSL 1.1 document, which gives several records: it
    /// is read here as before.
    public mutating func handOnPending(_ handOn: Bool) {
        stream.handsOnElements = handOn
        stream.handsOnLines = handOn
        if handOn && stream.keyNotHandedOn == nil { stream.keyNotHandedOn = Array("references".utf8) }
    }

    /// The next item, parsed (the in-order part: the JSON tokens, the item's index, the notes carried from
    /// before it); its decoding into a record is left to ``PendingRecord/complete()``, which the conversion
    /// pipeline may run on its other thread. A plain item (nearly every one in an export) is decoded straight from
    /// the input's bytes here instead (``CSLDirectDecoder``), as smrl-json's are (see ``NativeReader``): the
    /// pending record is then already complete. The parse is about 62% of reading and the decoding 38% (callgrind,
    /// 2,000 items: 262 M and 160 M instructions), and the parse is less than half of a whole conversion's work.
    public mutating func nextPending() throws -> PendingRecord? {
        while true {
            if queueStart < queue.count {
                defer {
                    queueStart += 1
                    if queueStart == queue.count {
                        queue.removeAll()
                        queueStart = 0
                    }
                }
                return queue[queueStart]
            }
            if finished { return nil }
            let element: JSONStreamReader.Element
            do {
                guard let next = try stream.next() else {
                    finished = true
                    let trailing = pendingDiagnostics + stream.streamDiagnostics
                    pendingDiagnostics = []
                    guard !trailing.isEmpty else { return nil }
                    return PendingRecord(ReadResult(record: nil, location: trailing.first?.location, diagnostics: trailing))
                }
                element = next
            } catch {
                var diagnostic = error.diagnostic
                diagnostic.recordIndex = recordIndex
                recordIndex += 1
                return PendingRecord(
                    attachPending(ReadResult(record: nil, location: diagnostic.location, diagnostics: [diagnostic])))
            }
            if let bytes = element.line {
                handedOn += 1
                let index = recordIndex
                recordIndex += 1
                let location = element.location
                let notes = takePending()
                let options = options
                let noteVariables = noteVariables
                // As ``JSONStreamReader`` offers an element to the decoder: every level it reads within the limit.
                let directly = direct != nil && (lines ? 0 : 1) + CSLDirectDecoder.nesting <= options.maxDepth
                return PendingRecord(record: {
                    Self.read(
                        bytes, at: location, index: index, notes: notes, options: options, noteVariables: noteVariables,
                        directly: directly)
                })
            }
            // (Taken apart as it is bound: bound whole, the record was copied out of the pair and the pair destroyed.)
            if element.decodedDirectly, let (record, fieldLocations) = direct?.take() {
                // No diagnostic of its own (the decoder takes only such items): the notes carried stay as they are.
                decodedDirectly += 1
                recordIndex += 1
                return PendingRecord(
                    ReadResult(
                        record: record, location: element.location, diagnostics: takePending(),
                        fieldLocationList: fieldLocations))
            }
            switch element.value {
            case .object(let members):
                if let references = Self.csl11References(members) {
                    if references.isEmpty {
                        return PendingRecord(attachPending(ReadResult(record: nil, location: element.location, diagnostics: [
                            .note(.cslVersion11Document, "a CSL 1.1 document without references", at: element.location)
                        ])))
                    }
                    var items: [PendingRecord] = []
                    items.reserveCapacity(references.count)
                    for (offset, reference) in references.enumerated() {
                        let location = reference.members?.first?.location(in: fileName) ?? element.location
                        var leading: [Diagnostic] = []
                        if offset == 0 {
                            leading = takePending()
                            leading.append(
                                .note(.cslVersion11Document,
                                    "a CSL 1.1 document: its \(references.count) references are read as items",
                                    at: element.location))
                        }
                        items.append(decode(reference, at: location, leading: leading, legacyEncodingLine: nil))
                    }
                    queue = items
                    queueStart = 0
                    continue
                }
                return decode(
                    element.value, at: element.location, leading: takePending(),
                    legacyEncodingLine: element.legacyEncodingLine)
            default:
                var diagnostic = Diagnostic.error(
                    .cslNotAnItem, "expected a CSL item (a JSON object), found \(element.value.kindName)",
                    at: element.location)
                diagnostic.recordIndex = recordIndex
                recordIndex += 1
                return PendingRecord(
                    attachPending(ReadResult(record: nil, location: element.location, diagnostics: [diagnostic])))
            }
        }
    }

    /// The result of an element handed on (``JSONStreamReader/Element/line``), the one ``nextPending()`` would have
    /// given for it where it was found (numbered `index`, after the `notes` carried to it): decoded directly when
    /// the decoder takes it, else parsed and decoded. The element is one well-formed object that is no CSL 1.1
    /// document, so there is always one record.
    private static func read(
        _ bytes: [UInt8], at location: SourceLocation, index: Int, notes: [Diagnostic], options: ReaderOptions,
        noteVariables: Bool, directly: Bool
    ) -> ReadResult {
        if directly {
            let decoder = CSLDirectDecoder(file: location.file, noteVariables: noteVariables)
            let end = bytes.withUnsafeBufferPointer { decoder.decode($0, line: location.line, column: location.column) }
            if end != nil, let (record, fieldLocations) = decoder.take() {
                return ReadResult(
                    record: record, location: location, diagnostics: notes, fieldLocationList: fieldLocations)
            }
        }
        var reader = CSLJSONReader(
            stream: JSONStreamReader(line: bytes, at: location, index: index, options: options),
            fileName: location.file, options: options, noteVariables: noteVariables)
        reader.recordIndex = index
        reader.pendingDiagnostics = notes
        // Never nil nor without a record for such an element; a result without one (only if the check let through
        // an element the parser refuses) still reports what went wrong rather than losing it.
        return (try? reader.nextPending()?.complete())
            ?? ReadResult(record: nil, location: location, diagnostics: notes)
    }

    /// The diagnostics carried to the next result (encoding notes), taken.
    private mutating func takePending() -> [Diagnostic] {
        defer { pendingDiagnostics = [] }
        return pendingDiagnostics
    }

    private mutating func attachPending(_ result: ReadResult) -> ReadResult {
        guard !pendingDiagnostics.isEmpty else { return result }
        var result = result
        result.diagnostics.insert(contentsOf: takePending(), at: 0)
        return result
    }

    /// The item `value` found at `location`, numbered now; `leading` go before its own diagnostics, and a
    /// `legacyEncodingLine` adds an `input.legacy-encoding` warning after them.
    private mutating func decode(
        _ value: JSONValue, at location: SourceLocation, leading: [Diagnostic], legacyEncodingLine: Int?
    ) -> PendingRecord {
        let index = recordIndex
        recordIndex += 1
        let file = fileName
        let trailing: [Diagnostic] = legacyEncodingLine.map { line in
            [
                .warning(
                    .legacyEncoding, "text in this item is not UTF-8; it was decoded as Windows-1252",
                    at: SourceLocation(file: file, line: line, column: 1))
            ]
        } ?? []
        guard case .object(let members) = value else {
            var diagnostic = Diagnostic.error(
                .cslNotAnItem, "expected a CSL item (a JSON object), found \(value.kindName)", at: location)
            diagnostic.recordIndex = index
            return PendingRecord(
                ReadResult(record: nil, location: location, diagnostics: leading + [diagnostic] + trailing))
        }
        let noteVariables = noteVariables
        return PendingRecord(record: {
            var decoder = CSLItemDecoder(file: file, location: location, noteVariables: noteVariables)
            decoder.decode(members)
            let (resource, diagnosticsFound, fieldLocations) = decoder.finish()
            var diagnostics = leading
            diagnostics.reserveCapacity(leading.count + diagnosticsFound.count + trailing.count)
            for var diagnostic in diagnosticsFound {
                diagnostic.recordIndex = index
                diagnostic.recordID = resource.id
                diagnostics.append(diagnostic)
            }
            diagnostics += trailing
            return ReadResult(
                record: resource, location: location, diagnostics: diagnostics, fieldLocationList: fieldLocations)
        })
    }

    /// The references of a CSL 1.1 document object, or nil for an ordinary item.
    private static func csl11References(_ members: [JSONMember]) -> [JSONValue]? {
        guard let references = members.first(where: { $0.key == "references" })?.value.elements,
            !members.contains(where: { $0.key == "type" || $0.key == "id" })
        else { return nil }
        return references
    }
}
