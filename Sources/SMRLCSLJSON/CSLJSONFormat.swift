public import SMRLCore

/// The csl-json format. Placeholder until its reader and writer land.
public enum CSLJSONFormat {
    public static let descriptor = FormatDescriptor(
        name: "csl-json", summary: "CSL-JSON (not built yet)", fileExtensions: ["json"], makeReader: nil, makeWriter: nil)
}
