import ArgumentParser
import SMRLCore
import SMRLFormats
@testable import smrl

/// Checks a documented `smrl …` command against the command's own argument parser, without running it: the
/// options exist, their values parse, the formats named exist and can be read or written, and the filter values
/// name vocabulary terms.
enum CommandCheck {
    /// nil when the arguments are a command smrl accepts; else why not.
    static func problem(with arguments: [String]) -> String? {
        let command: any ParsableCommand
        do {
            command = try SMRLCommand.parseAsRoot(arguments)
        } catch {
            if SMRLCommand.exitCode(for: error) == .success { return nil }  // --help, --version
            return SMRLCommand.fullMessage(for: error)
        }
        let registry = FormatRegistry.builtIn
        func format(_ name: String?, writing: Bool) -> String? {
            guard let name else { return nil }
            guard let format = registry.format(named: name) else { return "no format named '\(name)'" }
            if writing && !format.canWrite { return "format '\(name)' cannot be written" }
            if !writing && !format.canRead { return "format '\(name)' cannot be read" }
            return nil
        }
        switch command {
        case let convert as ConvertCommand:
            if let problem = format(convert.to, writing: true) ?? format(convert.input.from, writing: false) {
                return problem
            }
            do {
                _ = try convert.filters.filter(vocabulary: .bundled)
            } catch {
                return "filter: \(error)"
            }
        case let validate as ValidateCommand:
            if let problem = format(validate.input.from, writing: false) { return problem }
        default:
            break
        }
        return nil
    }
}
