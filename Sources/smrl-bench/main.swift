#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SMRLCore
import SMRLFormats

// smrl-bench: see BenchOptions.usage and BENCHMARKS.md.

let arguments = Array(CommandLine.arguments.dropFirst())

// A child process measuring one case.
if arguments.first == "__case" {
    guard let benchCase = Case(arguments: Array(arguments.dropFirst())) else {
        System.log("smrl-bench: bad case arguments: \(arguments)")
        exit(2)
    }
    print(CaseRunner.run(benchCase).line)
    exit(0)
}

let options: BenchOptions
do {
    options = try BenchOptions(arguments: arguments)
} catch {
    if let message = error.message {
        System.log("smrl-bench: \(message)\n")
        System.log(BenchOptions.usage)
        exit(2)
    }
    print(BenchOptions.usage)
    exit(0)
}

var bench = Bench(options: options)
bench.run()
