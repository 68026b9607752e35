#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SMRLCore

/// Prints diagnostics and messages on standard error as `FILE:LINE:COL: error[CODE]: message`, coloured only when
/// standard error is a terminal.
struct DiagnosticPrinter {
    let colour = isatty(2) == 1 && getenv("NO_COLOR") == nil

    func print(_ diagnostic: Diagnostic) {
        var text = diagnostic.location.map { "\($0): " } ?? ""
        let label = "\(diagnostic.severity.rawValue)[\(diagnostic.code.rawValue)]"
        if colour {
            let code = diagnostic.severity == .error ? "31" : diagnostic.severity == .warning ? "33" : "36"
            text += "\u{1B}[1;\(code)m\(label)\u{1B}[0m"
        } else {
            text += label
        }
        text += ": " + diagnostic.message
        if let suggestion = diagnostic.suggestion, !diagnostic.message.contains(suggestion) {
            text += " (did you mean \"\(suggestion)\"?)"
        }
        if let related = diagnostic.related { text += " [see \(related)]" }
        line(text)
    }

    /// Writes one line to standard error.
    func line(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.append(0x0A)
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(2, raw.baseAddress! + offset, raw.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// Shows progress in place (terminals only).
    func progress(_ text: String) {
        guard isatty(2) == 1 else { return }
        let bytes = Array("\r\u{1B}[K\(text)".utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress!, $0.count) }
    }

    func clearProgress() {
        guard isatty(2) == 1 else { return }
        let bytes = Array("\r\u{1B}[K".utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress!, $0.count) }
    }
}
