#ifndef SMRL_FUZZER_DRIVER_H
#define SMRL_FUZZER_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's entry point for programs with their own main (SwiftPM renames an executable's main, so the
/// fuzz target starts libFuzzer itself). Provided by libclang_rt.fuzzer, linked by -sanitize=fuzzer.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
