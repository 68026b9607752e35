/// Everything the registry and the command need to know about one format: its names, how to recognise it, and
/// how to make its reader and writer.
public struct FormatDescriptor: Sendable {
    /// The name used on the command line (`ris`, `bibtex`, `csl-json`).
    public let name: String
    /// Other accepted names (`bib`, `csl`).
    public let aliases: [String]
    /// One line for `smrl formats`.
    public let summary: String
    /// File extensions without the dot, most typical first.
    public let fileExtensions: [String]
    /// Makes a reader over the given input; nil when the format cannot be read (yet).
    public let makeReader: (@Sendable (ByteReader, ReaderOptions) -> any RecordReader)?
    /// Makes a writer; nil when the format cannot be written (yet).
    public let makeWriter: (@Sendable (WriterOptions) -> any RecordWriter)?
    /// How sure the format is, from 0 to 100, that the given first bytes of an input are its own.
    public let sniff: @Sendable (ArraySlice<UInt8>) -> Int

    public init(
        name: String, aliases: [String] = [], summary: String, fileExtensions: [String],
        makeReader: (@Sendable (ByteReader, ReaderOptions) -> any RecordReader)?,
        makeWriter: (@Sendable (WriterOptions) -> any RecordWriter)?,
        sniff: @escaping @Sendable (ArraySlice<UInt8>) -> Int = { _ in 0 }
    ) {
        self.name = name
        self.aliases = aliases
        self.summary = summary
        self.fileExtensions = fileExtensions
        self.makeReader = makeReader
        self.makeWriter = makeWriter
        self.sniff = sniff
    }

    public var canRead: Bool { makeReader != nil }
    public var canWrite: Bool { makeWriter != nil }
}
