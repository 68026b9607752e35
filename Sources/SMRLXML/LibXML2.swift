internal import SMRLCLibXML2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Facts about the libxml2 this build uses, and the one-time set-up every entry point of this module runs first.
///
/// This module is the only one that calls libxml2 (see CONTRIBUTING.md). Nothing in its public API is a C pointer
/// or a libxml2 type.
public enum LibXML2 {
    /// The libxml2 version the headers declare, e.g. `20914`.
    public static var headerVersion: Int { Int(LIBXML_VERSION) }

    /// Runs `xmlInitParser` once per process and installs smrl's external-resource policy (see
    /// ``XMLLoadPolicy``). Every public entry point calls this before touching libxml2.
    static func ensureInitialized() {
        _ = initialization
    }

    private static let initialization: Void = {
        xmlInitParser()
        // The loader is process-global in libxml2 2.9 (there is no per-context hook). smrl's readers never ask
        // for external resources; the validator may, and then only from schema folders it was given.
        xmlSetExternalEntityLoader(smrlExternalEntityLoader)
    }()
}

/// Copies a libxml2 string into a Swift `String` (nil for a null pointer). Does not free it.
@inline(__always)
func swiftString(_ pointer: UnsafePointer<xmlChar>?) -> String? {
    guard let pointer else { return nil }
    return String(cString: pointer)
}

/// Copies a libxml2-allocated string into a Swift `String` and frees it.
@inline(__always)
func consumeXMLString(_ pointer: UnsafeMutablePointer<xmlChar>?) -> String? {
    guard let pointer else { return nil }
    defer { smrl_xml_free(pointer) }
    return String(cString: pointer)
}

/// Calls `body` with a NUL-terminated `xmlChar` copy of `text`.
@inline(__always)
func withXMLChars<R>(_ text: String, _ body: (UnsafePointer<xmlChar>) throws -> R) rethrows -> R {
    try text.withCString(encodedAs: UTF8.self) { try body($0) }
}

/// A small mutex for state shared between threads (no Foundation in this module).
final class PthreadLock: @unchecked Sendable {
    private var mutex = pthread_mutex_t()

    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }

    func withLock<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}
