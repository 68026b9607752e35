/// The command line of `smrl-bench`.
import SMRLCore

struct BenchOptions {
    var sizes: [Int] = [10_000]
    /// Formats taking part (names or aliases); empty: every built-in format.
    var formats: [String] = []
    var peers = false
    var threads: [Int] = [1, 2]
    var repeats = 3
    var checks: Case.Checks = .cli
    /// Which kinds of case to run.
    var kinds: Set<String> = ["read", "write", "convert", "startup"]
    /// Conversions to run, as `source:target` (format names); empty: every pair.
    var pairs: [(String, String)] = []
    /// Keep the corpus files (in this folder) instead of a temporary folder that is removed.
    var workDirectory: String?
    /// The `smrl` executable whose start-up is measured; nil: the one beside smrl-bench, else the one on PATH.
    var smrlExecutable: String?
    var peerTimeout = 120.0
    /// A run during which other processes kept more than this many CPUs busy is measured again.
    var maxOtherLoad = 0.1
    /// How many times a disturbed run is measured again before the least disturbed attempt is kept.
    var retries = 3
    var peerMemoryLimit = 6 << 30

    static let usage = """
        USAGE: smrl-bench --records N[,N...] [options]

        Generates a deterministic, realistic corpus of N records, writes it once in every writable format, and
        measures every reader, every writer and every source-to-target conversion (through ConversionPipeline,
        with the checks `smrl convert` runs), each in a child process of its own: records/s, MB/s of input, peak
        memory. Prints Markdown tables on standard output and progress on standard error. Build in release mode:

          swift build -c release && swift run -c release smrl-bench --records 10000,100000 --peers

        OPTIONS:
          --records N[,N...]     corpus sizes (default 10000; 1000000 takes long)
          --formats a,b,...      only these formats (default: every built-in format)
          --pairs src:dst,...    only these conversions (default: every pair of the formats)
          --threads 1|2|1,2      pipeline threads to measure conversions with (default 1,2)
          --repeat R             runs per case; the table shows the median (default 3)
          --checks cli|validator|none
                                 the checks run on each converted record (default cli: the validator and the
                                 duplicate detector, as smrl convert)
          --cases read,write,convert,startup
                                 which measurements to make (default: all)
          --peers                also run bibutils, pandoc, rispy and cat on the same files, where installed
          --peer-timeout S       stop a peer after S seconds (default 120)
          --peer-memory MB       stop a peer whose processes hold more than MB of memory (default 6144)
          --work DIR             write the corpus into DIR (made if missing) and keep it (default: a temporary
                                 folder, removed)
          --smrl PATH            the smrl executable whose start-up is measured (default: the one beside
                                 smrl-bench, else smrl on PATH)
          --max-load C           measure a run again when other processes kept more than C CPUs busy during
                                 it (from /proc/stat; default 0.1): a second pipeline thread shares its core
                                 with them, so background load skews the two-thread numbers most
          --retries N            times a disturbed run is measured again; the least disturbed is kept (default 3)
          -h, --help             this text
        """

    init(arguments: [String]) throws(UsageError) {
        var rest = arguments[...]
        func value(_ name: String) throws(UsageError) -> String {
            guard let next = rest.popFirst() else { throw UsageError("\(name) needs a value") }
            return next
        }
        func list(_ text: String) -> [String] {
            text.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--records":
                let text = try value(argument)
                sizes = try list(text).map { item throws(UsageError) -> Int in
                    guard let number = Int(item.filter { $0 != "_" }), number > 0 else {
                        throw UsageError("--records: \(item) is not a positive number")
                    }
                    return number
                }
            case "--formats": formats = list(try value(argument))
            case "--pairs":
                pairs = try list(try value(argument)).map { item throws(UsageError) -> (String, String) in
                    let parts = item.split(separator: ":").map(String.init)
                    guard parts.count == 2 else { throw UsageError("--pairs: \(item) is not source:target") }
                    return (parts[0], parts[1])
                }
            case "--threads":
                threads = list(try value(argument)).compactMap { Int($0) }.filter { $0 >= 1 }
                if threads.isEmpty { throw UsageError("--threads: give 1, 2 or 1,2") }
            case "--repeat":
                guard let number = Int(try value(argument)), number >= 1 else { throw UsageError("--repeat: a number >= 1") }
                repeats = number
            case "--checks":
                guard let parsed = Case.Checks(rawValue: try value(argument)) else {
                    throw UsageError("--checks: cli, validator or none")
                }
                checks = parsed
            case "--cases": kinds = Set(list(try value(argument)))
            case "--peers": peers = true
            case "--peer-timeout":
                guard let number = Double(try value(argument)), number > 0 else { throw UsageError("--peer-timeout: seconds") }
                peerTimeout = number
            case "--peer-memory":
                guard let number = Int(try value(argument)), number > 0 else { throw UsageError("--peer-memory: MB") }
                peerMemoryLimit = number << 20
            case "--work": workDirectory = try value(argument)
            case "--smrl": smrlExecutable = try value(argument)
            case "--max-load":
                guard let number = Double(try value(argument)), number >= 0 else { throw UsageError("--max-load: CPUs") }
                maxOtherLoad = number
            case "--retries":
                guard let number = Int(try value(argument)), number >= 0 else { throw UsageError("--retries: a number >= 0") }
                retries = number
            case "-h", "--help": throw UsageError(nil)
            default: throw UsageError("unknown argument \(argument)")
            }
        }
    }
}

struct UsageError: Error {
    var message: String?
    init(_ message: String?) { self.message = message }
}
