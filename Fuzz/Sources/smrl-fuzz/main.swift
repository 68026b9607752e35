import Foundation
import FuzzerDriver

// SwiftPM gives an executable its own entry point, so libFuzzer's main is not used: start its driver here.
// It calls LLVMFuzzerInitialize (FuzzTarget.swift) first, then runs the target on every input.
var arguments = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&arguments, &argv, { data, size in fuzzerTestOneInput(data, size) }))
