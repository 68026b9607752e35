import ArgumentParser
import Foundation
import SMRLCore
import SMRLFormats

struct FormatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "formats", abstract: "List the formats smrl reads and writes.")

    @Option(help: "Output format: 'text' or 'json'.")
    var format: ReportFormat = .text

    func run() throws {
        let formats = FormatRegistry.builtIn.formats
        switch format {
        case .text:
            let width = formats.map(\.name.count).max() ?? 0
            let extensions = formats.map { $0.fileExtensions.map { "." + $0 }.joined(separator: " ") }
            let extWidth = max(extensions.map(\.count).max() ?? 0, "EXTENSIONS".count)
            print(
                "FORMAT".padding(toLength: width + 2, withPad: " ", startingAt: 0) + "READ  WRITE  "
                    + "EXTENSIONS".padding(toLength: extWidth + 2, withPad: " ", startingAt: 0) + "DESCRIPTION")
            for (item, exts) in zip(formats, extensions) {
                print(
                    item.name.padding(toLength: width + 2, withPad: " ", startingAt: 0)
                        + (item.canRead ? "yes   " : "no    ") + (item.canWrite ? "yes    " : "no     ")
                        + exts.padding(toLength: extWidth + 2, withPad: " ", startingAt: 0) + item.summary)
            }
        case .json:
            var out = JSONOutput(indent: 2)
            out.beginArray()
            for item in formats {
                out.beginObject()
                out.member("name", item.name)
                out.member("aliases", item.aliases)
                out.key("read")
                out.bool(item.canRead)
                out.key("write")
                out.bool(item.canWrite)
                out.member("extensions", item.fileExtensions)
                out.member("summary", item.summary)
                out.endObject()
            }
            out.endArray()
            print(String(decoding: out.bytes, as: UTF8.self))
        }
    }
}
