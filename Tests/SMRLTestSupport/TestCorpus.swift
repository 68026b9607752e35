public import Foundation

/// Locates the repository and the shared test corpus (`../shared/corpus` beside the clone).
///
/// Tests that need the corpus use `.enabled(if: TestCorpus.isAvailable, TestCorpus.skipMessage)` so that a
/// clone without `../shared` skips them with a clear message instead of failing.
public enum TestCorpus {
    /// The repository root (the folder holding `Package.swift`).
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// `$SMRL_CORPUS`, else `../shared/corpus` beside the repository.
    public static let root: URL = {
        if let path = ProcessInfo.processInfo.environment["SMRL_CORPUS"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")
    }()

    /// True when the corpus folder exists.
    public static let isAvailable: Bool = FileManager.default.fileExists(
        atPath: root.appendingPathComponent("README.md").path)

    /// The message a skipped corpus test shows (wrap it as `Comment(rawValue:)`).
    public static let skipMessage: String =
        "skipped: the shared corpus (../shared/corpus or $SMRL_CORPUS) is not present in this checkout"

    /// A file of the corpus.
    public static func url(_ relativePath: String) -> URL { root.appendingPathComponent(relativePath) }

    /// A file of the repository (`Samples/library.json`, `Schemas/vocabulary.json`).
    public static func repositoryFile(_ relativePath: String) -> URL {
        repositoryRoot.appendingPathComponent(relativePath)
    }

    /// Every file under a corpus folder whose extension is one of `extensions`, sorted by path.
    public static func files(in folder: String, extensions: Set<String>) -> [URL] {
        let base = url(folder)
        guard let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else {
            return []
        }
        return enumerator.compactMap { $0 as? URL }
            .filter { extensions.contains($0.pathExtension.lowercased()) }
            .sorted { $0.path < $1.path }
    }
}
