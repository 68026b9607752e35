public import SMRLCore

/// The library's own formats. Placeholder until the reader and writer land.
public enum NativeFormat {
    public static let json = FormatDescriptor(
        name: "smrl-json", summary: "smrl JSON array (not built yet)", fileExtensions: ["json"], makeReader: nil,
        makeWriter: nil)
    public static let ndjson = FormatDescriptor(
        name: "smrl-ndjson", summary: "smrl NDJSON (not built yet)", fileExtensions: ["ndjson", "jsonl"],
        makeReader: nil, makeWriter: nil)
}
