/// The tools smrl is compared with, run on the same corpus files in the same run: bibutils, pandoc, rispy and
/// `cat` (the floor). Each is a shell command from an input file to an output file; its time includes its own
/// start-up, and its peak memory is the largest of its processes (ru_maxrss over the pipeline).
struct Peer {
    var tool: String
    /// The smrl conversion it is compared with (format names).
    var source: String
    var target: String
    /// The shell command, from `$IN` to `$OUT`.
    var command: String
    /// Programs that must be installed.
    var needs: [String]
    /// A Python module that must be importable.
    var pythonModule: String?

    static let all: [Peer] = [
        Peer(tool: "cat", source: "smrl-ndjson", target: "smrl-ndjson", command: "cat \"$IN\" > \"$OUT\"", needs: ["cat"]),
        Peer(tool: "cat", source: "ris", target: "ris", command: "cat \"$IN\" > \"$OUT\"", needs: ["cat"]),
        Peer(
            tool: "rispy 0.10 (load + dump)", source: "ris", target: "ris",
            command: "python3 -c 'import rispy,sys; e=rispy.load(open(sys.argv[1],encoding=\"utf-8\")); "
                + "rispy.dump(e,open(sys.argv[2],\"w\",encoding=\"utf-8\"))' \"$IN\" \"$OUT\"",
            needs: ["python3"], pythonModule: "rispy"),
        Peer(
            tool: "bibutils (ris2xml | xml2bib)", source: "ris", target: "bibtex",
            command: "ris2xml \"$IN\" | xml2bib > \"$OUT\"", needs: ["ris2xml", "xml2bib"]),
        Peer(
            tool: "bibutils (bib2xml | xml2ris)", source: "bibtex", target: "ris",
            command: "bib2xml \"$IN\" | xml2ris > \"$OUT\"", needs: ["bib2xml", "xml2ris"]),
        Peer(
            tool: "pandoc", source: "bibtex", target: "csl-json",
            command: "pandoc -f bibtex -t csljson \"$IN\" -o \"$OUT\"", needs: ["pandoc"]),
        Peer(
            tool: "pandoc", source: "csl-json", target: "biblatex",
            command: "pandoc -f csljson -t biblatex \"$IN\" -o \"$OUT\"", needs: ["pandoc"]),
        Peer(
            tool: "pandoc", source: "jats", target: "csl-json",
            command: "pandoc -f jats -t csljson \"$IN\" -o \"$OUT\"", needs: ["pandoc"]),
    ]

    /// Why the peer cannot run here; nil when it can.
    func missing() -> String? {
        for program in needs where System.which(program) == nil { return "\(program) not installed" }
        if let module = pythonModule {
            let outcome = Child.run(["/bin/sh", "-c", "python3 -c 'import \(module)'"], timeout: 30, quietStderr: true)
            if outcome.status != 0 { return "python module \(module) not installed" }
        }
        return nil
    }

    /// The version line of the tool, for the report.
    func version() -> String? {
        let probe: String
        switch needs.first {
        case "pandoc": probe = "pandoc --version | head -1"
        case "ris2xml", "bib2xml": probe = "\(needs[0]) --version 2>&1 | head -1"
        default: return nil
        }
        let outcome = Child.run(["/bin/sh", "-c", probe], timeout: 30, quietStderr: true)
        let line = outcome.output.split(separator: "\n").first.map(String.init)
        return line?.isEmpty == false ? line : nil
    }

    /// Runs the peer from `input` to `output` under the watchdog.
    func run(input: String, output: String, timeout: Double, memoryLimit: Int) -> ChildOutcome {
        let script = "IN=\(shellQuoted(input)); OUT=\(shellQuoted(output)); " + command
        let outcome = Child.run(["/bin/sh", "-c", script], timeout: timeout, memoryLimit: memoryLimit, quietStderr: true)
        System.remove(output)
        return outcome
    }
}

/// `text` in single quotes for /bin/sh.
func shellQuoted(_ text: String) -> String {
    "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
}
