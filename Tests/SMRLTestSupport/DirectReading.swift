public import SMRLCore

/// Compares a reader's direct decoding (a ``JSONStreamReader/DirectDecoder``) with the route it replaces, kept as
/// the reader's fallback and as the tests' reference: the same results, one by one (the record, its location, its
/// diagnostics with their codes, messages, locations, record index and id, and its field locations in order).
public enum DirectReading {
    /// What one reader gave for an input, and how many elements it decoded directly.
    public struct Outcome {
        public var results: [ReadResult]
        public var direct: Int

        public init(results: [ReadResult], direct: Int) {
            self.results = results
            self.direct = direct
        }
    }

    /// A reader that gave more than a million results: taken as not terminating.
    public struct ReaderDoesNotTerminate: Error {}

    /// Every result of `reader`, and the results whose pending record said wrongly whether it had a record (the
    /// pipeline numbers records by ``PendingRecord/hasRecord`` before they are completed). With `handingOn`, the
    /// reader is told its pending records may be completed on another thread (as a two-thread conversion does:
    /// ``StagedRecordReader/handOnPending(_:)``) and each is completed after it is found; with `switching` as well,
    /// the hand-on is turned off for every third record and on again (as the pipeline does while the other thread
    /// is behind and once it catches up). Without `handingOn`, plain ``RecordReader/next()``.
    public static func results<Reader: StagedRecordReader>(
        of reader: inout Reader, handingOn: Bool, switching: Bool = false
    ) throws -> (results: [ReadResult], wrongHasRecord: [ReadResult]) {
        var results: [ReadResult] = []
        var wrong: [ReadResult] = []
        if handingOn { reader.handOnPending(true) }
        while true {
            let result: ReadResult
            if handingOn {
                if switching { reader.handOnPending(results.count % 3 != 2) }
                guard let pending = try reader.nextPending() else { break }
                result = pending.complete()
                if pending.hasRecord != (result.record != nil) { wrong.append(result) }
            } else {
                guard let next = try reader.next() else { break }
                result = next
            }
            results.append(result)
            guard results.count < 1_000_000 else { throw ReaderDoesNotTerminate() }
        }
        return (results, wrong)
    }

    /// The first difference between two readings, described; nil when they agree.
    public static func difference(_ new: [ReadResult], _ old: [ReadResult]) -> String? {
        for (index, (a, b)) in zip(new, old).enumerated() {
            if a.record != b.record {
                return "result \(index): record\nnew: \(String(describing: a.record))\nold: \(String(describing: b.record))"
            }
            if a.location != b.location {
                return "result \(index): location \(String(describing: a.location)) vs \(String(describing: b.location))"
            }
            if a.diagnostics != b.diagnostics { return "result \(index): diagnostics\nnew: \(a.diagnostics)\nold: \(b.diagnostics)" }
            if a.fieldLocationList.entries != b.fieldLocationList.entries {
                return "result \(index): field locations\nnew: \(a.fieldLocationList.entries)\nold: \(b.fieldLocationList.entries)"
            }
        }
        return new.count == old.count ? nil : "\(new.count) results vs \(old.count)"
    }

    /// Reads an input both ways (`read(layout, chunk, directly)`) in every layout and chunk size, up to the first
    /// difference (described with the layout and chunk size), also when the reference decoded anything directly.
    /// Returns how many elements the direct way decoded in all, and the difference.
    public static func compare<Layout>(
        layouts: [Layout], chunks: [Int], read: (Layout, Int, Bool) throws -> Outcome
    ) rethrows -> (direct: Int, difference: String?) {
        var direct = 0
        for layout in layouts {
            for chunk in chunks {
                let new = try read(layout, chunk, true)
                let old = try read(layout, chunk, false)
                direct += new.direct
                let found = old.direct != 0
                    ? "the reference decoded \(old.direct) elements directly" : difference(new.results, old.results)
                if let found { return (direct, "layout \(layout), chunks of \(chunk): \(found)") }
            }
        }
        return (direct, nil)
    }

    /// `text` in UTF-16 with its byte-order mark.
    public static func utf16(_ text: String, littleEndian: Bool) -> [UInt8] {
        var bytes: [UInt8] = littleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]
        for unit in text.utf16 {
            let pair = [UInt8(unit & 0xFF), UInt8(unit >> 8)]
            bytes += littleEndian ? pair : pair.reversed()
        }
        return bytes
    }

    /// Inputs with each edge of well-formed and malformed UTF-8 (``UTF8Edges``) inside a string value, plain and
    /// after an escape: `opening` (ending inside the value's quotes), the edge, then `closing`. `wellFormed` says
    /// whether a direct decoder should take it (malformed values are left to the stream, which repairs the line).
    public static func utf8EdgeInputs(
        opening: String, closing: String
    ) -> [(name: String, bytes: [UInt8], wellFormed: Bool)] {
        var inputs: [(name: String, bytes: [UInt8], wellFormed: Bool)] = []
        for (offset, sequence) in (UTF8Edges.wellFormed + UTF8Edges.malformed).enumerated() {
            for escape in ["", "\\t"] {
                let bytes = Array(opening.utf8) + Array(escape.utf8) + sequence + Array(closing.utf8)
                inputs.append(("UTF-8 edge \(offset)\(escape)", bytes, offset < UTF8Edges.wellFormed.count))
            }
        }
        return inputs
    }
}
