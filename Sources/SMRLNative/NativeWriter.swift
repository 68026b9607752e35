public import SMRLCore

/// Writes records as `smrl-json` or `smrl-ndjson`, one record at a time (nothing is held between records).
///
/// - `smrl-json`, pretty (``WriterOptions/pretty``): `[`, then each record as an object indented by two spaces
///   per level, separated by `,` and a line break, then `]` and a line break.
/// - `smrl-json`, compact: the same on one line (`[{…},{…}]`) and a final line break.
/// - `smrl-ndjson`: each record as a compact object on its own line; `pretty` is ignored.
///
/// The output is a function of the records alone (keys in `Resource.CodingKeys` order, `extra` sorted), and the
/// format carries every field, so ``write(_:into:)`` never reports a loss.
public struct NativeWriter: RecordWriter {
    private let lines: Bool
    private var output: JSONOutput

    /// - Parameters:
    ///   - lines: true for `smrl-ndjson`.
    ///   - options: `pretty` chooses indented `smrl-json`.
    public init(lines: Bool, options: WriterOptions = WriterOptions()) {
        self.lines = lines
        output = JSONOutput(indent: !lines && options.pretty ? 2 : 0, reserving: 8192)
    }

    public mutating func begin(into sink: OutputSink) throws {
        guard !lines else { return }
        output.beginArray()
        output.flush(into: sink)
    }

    public mutating func write(_ record: Resource, into sink: OutputSink) throws -> [Loss] {
        NativeMapping.write(record, into: &output)
        if lines { output.raw(0x0A) }
        output.flush(into: sink)
        return []
    }

    public mutating func end(into sink: OutputSink) throws {
        if !lines {
            output.endArray()
            output.raw(0x0A)
        }
        output.flush(into: sink)
    }
}
