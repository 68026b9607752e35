public import SMRLCore

/// The jats format. Placeholder until its reader and writer land.
public enum JATSFormat {
    public static let descriptor = FormatDescriptor(
        name: "jats", summary: "JATS XML (not built yet)", fileExtensions: ["xml", "nxml"], makeReader: nil, makeWriter: nil)
}
