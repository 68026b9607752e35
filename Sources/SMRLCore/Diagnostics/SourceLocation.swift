/// A place in an input file.
///
/// `line` and `column` are 1-based. Columns count Unicode scalars from the start of the line (as libxml2 counts
/// characters), so `é` is one column whatever its UTF-8 length. Readers make locations 1-based where they capture
/// them; nothing adjusts them afterwards.
public struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The file as named on the command line; `<stdin>` for standard input.
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form editors and CI annotators recognise.
    public var description: String { "\(file):\(line):\(column)" }

    /// The 1-based column of the byte at `byteOffset` in a UTF-8 line, counting Unicode scalars.
    public static func column(ofByte byteOffset: Int, inLine line: some Collection<UInt8>) -> Int {
        var column = 1
        for byte in line.prefix(byteOffset) where byte & 0xC0 != 0x80 {
            column += 1
        }
        return column
    }
}
