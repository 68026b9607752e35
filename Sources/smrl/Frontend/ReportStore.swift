import Foundation
import SMRLCore

/// The diagnostics and per-record losses of a JSON report (`--format json`, `--report FILE`), kept as their
/// encoded JSON in ``SpillBuffer``s as the run produces them, so that a feed with millions of diagnostics costs
/// disk, not memory. The report is written once the run is over: the same object, keys and layout as
/// ``ConversionReport``'s own encoding, with these items in its `diagnostics` and `losses` arrays.
final class ReportStore {
    private let diagnostics = SpillBuffer()
    private let losses = SpillBuffer()
    private var diagnosticCount = 0
    private var lossCount = 0
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    func add(_ diagnostic: Diagnostic) {
        append(diagnostic, to: diagnostics, count: &diagnosticCount)
    }

    func add(_ loss: ConversionReport.LossEntry) {
        append(loss, to: losses, count: &lossCount)
    }

    /// One array item, indented for its place in the report, after a comma unless it is the first.
    private func append(_ item: some Encodable, to buffer: SpillBuffer, count: inout Int) {
        guard let data = try? encoder.encode(item) else { return }
        var bytes: [UInt8] = count == 0 ? [] : [UInt8](",\n".utf8)
        bytes.reserveCapacity(data.count + data.count / 8 + 8)
        bytes += Self.itemIndent
        for byte in data {
            bytes.append(byte)
            if byte == 0x0A { bytes += Self.itemIndent }
        }
        bytes.withUnsafeBytes { buffer.append($0) }
        count += 1
    }

    private static let itemIndent = [UInt8]("    ".utf8)

    /// `value` encoded, its lines after the first indented by two spaces (a member of the report object).
    private func member(_ name: String, _ value: some Encodable) throws -> [UInt8] {
        var bytes = [UInt8]("  \"\(name)\" : ".utf8)
        for byte in try encoder.encode(value) {
            bytes.append(byte)
            if byte == 0x0A { bytes += [0x20, 0x20] }
        }
        return bytes
    }

    /// The report, in pieces, to `write`: `report`'s counts and summaries with the kept diagnostics and losses.
    func write(_ report: ConversionReport, to write: ([UInt8]) -> Void) throws {
        var head = [UInt8]("{\n".utf8)
        head += try member("summary", report.summary) + Array(",\n".utf8)
        head += try member("inputs", report.inputs) + Array(",\n".utf8)
        head += try member("sourceFormats", report.sourceFormats) + Array(",\n".utf8)
        if let target = report.targetFormat { head += try member("targetFormat", target) + Array(",\n".utf8) }
        write(head)
        array("diagnostics", diagnostics, count: diagnosticCount, write)
        array("losses", losses, count: lossCount, write)
        var tail = try member("lossSummary", report.lossSummary) + Array(",\n".utf8)
        tail += try member("outputDiscarded", report.outputDiscarded) + Array("\n}".utf8)
        write(tail)
    }

    private func array(_ name: String, _ items: SpillBuffer, count: Int, _ write: ([UInt8]) -> Void) {
        guard count > 0 else {
            write(Array("  \"\(name)\" : [],\n".utf8))
            return
        }
        write(Array("  \"\(name)\" : [\n".utf8))
        var offset = 0
        while offset < items.count {
            let length = min(1 << 16, items.count - offset)
            write(items.bytes(offset..<offset + length))
            offset += length
        }
        write(Array("\n  ],\n".utf8))
    }
}
