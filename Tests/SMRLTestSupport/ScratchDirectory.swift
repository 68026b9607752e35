public import Foundation

/// A fresh directory under the system's temporary directory for a test suite's files, removed with everything in it
/// when the suite instance that holds it goes away.
///
/// Swift Testing makes one suite instance per test, so a suite that keeps one of these as a stored property gets a
/// directory per test that is cleaned up after it. (A function-local directory is better removed with `defer`: a
/// local reference may be released right after its last use.)
public final class ScratchDirectory: Sendable {
    /// The directory.
    public let url: URL

    /// Creates `<temporary directory>/<prefix>-<UUID>`.
    public init(_ prefix: String) {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}
