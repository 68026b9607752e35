import ArgumentParser
import SMRLCore
import SMRLFormats

@main
struct SMRLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smrl",
        abstract: "Convert and validate Social Mission Resource Library records.")
}
