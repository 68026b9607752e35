#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small wrappers over the C library: clocks, files, processes. The benchmark avoids Foundation so that the
/// memory it measures is smrl's, not a framework's.
enum System {
    /// Monotonic wall-clock seconds.
    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// CPU seconds used by the whole process (every thread).
    static func processCPU() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// CPU seconds used by the calling thread.
    static func threadCPU() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Peak resident memory of this process in bytes (VmHWM), from /proc; 0 where there is no /proc.
    static func peakResidentBytes() -> Int {
        guard let text = readText("/proc/self/status") else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.filter(\.isNumber)
            return (Int(digits) ?? 0) * 1024
        }
        return 0
    }

    /// The whole of a (small) text file.
    static func readText(_ path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func writeText(_ path: String, _ text: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    static func fileSize(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Makes `path` a directory if it is not one yet; returns why it cannot be used to write files in, or nil.
    static func usableDirectory(_ path: String) -> String? {
        if mkdir(path, 0o755) != 0 && errno != EEXIST { return String(cString: strerror(errno)) }
        var info = stat()
        guard stat(path, &info) == 0 else { return String(cString: strerror(errno)) }
        guard info.st_mode & S_IFMT == S_IFDIR else { return "not a directory" }
        guard access(path, W_OK | X_OK) == 0 else { return String(cString: strerror(errno)) }
        return nil
    }

    static func remove(_ path: String) { unlink(path) }

    /// Removes a directory and the files in it (one level: the benchmark's work folder has no sub-folders).
    static func removeDirectory(_ path: String) {
        guard let directory = opendir(path) else { return }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            unlink(path + "/" + name)
        }
        closedir(directory)
        rmdir(path)
    }

    /// A new private directory under `$TMPDIR` (or /tmp).
    static func makeTemporaryDirectory(prefix: String) -> String? {
        let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array("\(base)/\(prefix)-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else { return nil }
        return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// The path of the running executable.
    static func executablePath() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if count > 0 {
            return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return CommandLine.arguments[0]
    }

    /// Finds a program on `PATH`.
    static func which(_ name: String) -> String? {
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// Writes a line to standard error.
    static func log(_ text: String) {
        let bytes = Array((text + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }

    /// CPU seconds the whole machine has spent busy (user, nice, system, irq, softirq: every CPU together) and
    /// lost to the hypervisor (steal), since boot, from the first line of /proc/stat; nil where there is none.
    static func machineCPU() -> (busy: Double, steal: Double)? {
        guard let text = readText("/proc/stat"), let first = text.split(separator: "\n").first,
            first.hasPrefix("cpu ")
        else { return nil }
        // cpu user nice system idle iowait irq softirq steal ...
        let ticks = first.split(separator: " ").dropFirst().map { Double($0) ?? 0 }
        guard ticks.count >= 8 else { return nil }
        let perSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        guard perSecond > 0 else { return nil }
        let busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6]
        return (busy / perSecond, ticks[7] / perSecond)
    }

    /// The load averages (1, 5, 15 minutes) as printed in /proc/loadavg.
    static func loadAverage() -> String {
        guard let text = readText("/proc/loadavg") else { return "unknown" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }
}

/// What a finished child process reported, and what the kernel measured of it.
struct ChildOutcome {
    var status: Int32
    var signalled: Bool
    /// Standard output, whole.
    var output: String
    /// Wall seconds from spawn to exit, measured by the parent.
    var wallSeconds: Double
    /// Peak resident memory of the child and its waited-for descendants (ru_maxrss), bytes.
    var peakBytes: Int
    /// CPU seconds (user and system) of the child and its waited-for descendants, from its start to its exit.
    var cpuSeconds = 0.0
    /// The watchdog stopped it (time or memory limit); the reason.
    var killedBecause: String?
}

/// Runs child processes: smrl-bench itself for one measured case, or a shell command for a peer tool.
enum Child {
    /// Runs `arguments` (the first is the program), with standard output captured and standard error passed on
    /// (or sent to /dev/null). A watchdog kills the child's whole process group past `timeout` seconds or when
    /// the group's resident memory passes `memoryLimit` bytes.
    static func run(
        _ arguments: [String], timeout: Double = 3600, memoryLimit: Int = .max, quietStderr: Bool = false
    ) -> ChildOutcome {
        // The kernel's ru_maxrss of a child starts from its parent's size (the child begins as a copy), so the
        // peak of a small program spawned from this one would read as this one's size. GNU time, small itself,
        // reports its own child's peak; where it is missing, the watchdog's samples of VmHWM stand in.
        if let time = gnuTime {
            let report = "/tmp/smrl-bench-time-\(getpid())"
            var outcome = spawn(
                [time, "-f", "%M", "-o", report] + arguments, timeout: timeout, memoryLimit: memoryLimit,
                quietStderr: quietStderr)
            if let text = System.readText(report), let kilobytes = Int(text.split(separator: "\n").last ?? "") {
                outcome.peakBytes = kilobytes * 1024
            }
            System.remove(report)
            return outcome
        }
        return spawn(arguments, timeout: timeout, memoryLimit: memoryLimit, quietStderr: quietStderr)
    }

    /// GNU time, when installed (`time -f %M` prints the peak resident memory in KB).
    static let gnuTime: String? = {
        guard System.exists("/usr/bin/time") else { return nil }
        let probe = spawn(["/usr/bin/time", "-f", "%M", "/bin/true"], timeout: 10, memoryLimit: .max, quietStderr: true)
        return probe.status == 0 ? "/usr/bin/time" : nil
    }()

    /// Runs a command as described in ``run(_:timeout:memoryLimit:quietStderr:)``, without GNU time.
    static func spawn(
        _ arguments: [String], timeout: Double, memoryLimit: Int, quietStderr: Bool
    ) -> ChildOutcome {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else {
            return ChildOutcome(status: -1, signalled: false, output: "", wallSeconds: 0, peakBytes: 0)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
        posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
        posix_spawn_file_actions_addclose(&actions, pipeEnds[1])
        if quietStderr { posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)

        let cArguments = arguments.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let started = System.now()
        let status = posix_spawn(&pid, arguments[0], &actions, &attributes, cArguments, environ)
        close(pipeEnds[1])
        guard status == 0 else {
            close(pipeEnds[0])
            return ChildOutcome(status: -1, signalled: false, output: "cannot start \(arguments[0])", wallSeconds: 0,
                peakBytes: 0)
        }

        // Read the output without blocking, so the watchdog can look at the child between reads.
        let flags = fcntl(pipeEnds[0], F_GETFL)
        _ = fcntl(pipeEnds[0], F_SETFL, flags | O_NONBLOCK)
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        var killedBecause: String?
        var sampledPeak = 0
        var lastCheck = 0.0
        var outputOpen = true
        var usage = rusage()
        var waitStatus: Int32 = 0
        while true {
            if outputOpen {
                let count = chunk.withUnsafeMutableBytes { read(pipeEnds[0], $0.baseAddress, $0.count) }
                if count > 0 {
                    output.append(contentsOf: chunk[0..<count])
                    continue
                }
                if count == 0 { outputOpen = false }
            }
            let done = wait4(pid, &waitStatus, WNOHANG, &usage)
            if done == pid { break }
            let elapsed = System.now() - started
            if killedBecause == nil, elapsed - lastCheck >= 0.1 {
                lastCheck = elapsed
                // Only under a memory limit: scanning /proc takes time from the process being measured.
                let (resident, largestPeak) = memoryLimit < .max ? groupMemory(pid) : (0, 0)
                sampledPeak = max(sampledPeak, largestPeak)
                if elapsed > timeout {
                    killedBecause = "did not finish in \(Int(timeout)) s"
                } else if memoryLimit < .max, resident > memoryLimit {
                    killedBecause = "stopped above \(memoryLimit >> 20) MB"
                }
                if killedBecause != nil { kill(-pid, SIGKILL) }
            }
            usleep(2000)
        }
        let wall = System.now() - started
        // Drain what is left.
        while outputOpen {
            let count = chunk.withUnsafeMutableBytes { read(pipeEnds[0], $0.baseAddress, $0.count) }
            if count > 0 { output.append(contentsOf: chunk[0..<count]) } else { break }
        }
        close(pipeEnds[0])
        let signalled = (waitStatus & 0x7F) != 0
        let exitStatus = (waitStatus >> 8) & 0xFF
        // ru_maxrss counts from the parent's size (see above): a sampled VmHWM is better when there is one.
        #if canImport(Darwin)
        let peak = sampledPeak > 0 ? sampledPeak : Int(usage.ru_maxrss)
        #else
        let peak = sampledPeak > 0 ? sampledPeak : Int(usage.ru_maxrss) * 1024
        #endif
        let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return ChildOutcome(
            status: signalled ? -1 : exitStatus, signalled: signalled, output: String(decoding: output, as: UTF8.self),
            wallSeconds: wall, peakBytes: peak, cpuSeconds: cpu, killedBecause: killedBecause)
    }

    /// The resident memory of every process in the process group `group`, summed, and the largest VmHWM among
    /// them (Linux /proc).
    static func groupMemory(_ group: pid_t) -> (resident: Int, largestPeak: Int) {
        guard let directory = opendir("/proc") else { return (0, 0) }
        defer { closedir(directory) }
        var total = 0
        var largestPeak = 0
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let first = name.utf8.first, first >= 0x30, first <= 0x39 else { continue }
            guard let stat = System.readText("/proc/\(name)/stat"),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // Fields after the command name: state ppid pgrp ... ; rss is field 24 (22 after the name).
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 22, Int(fields[2]) == Int(group), let rss = Int(fields[21]) else { continue }
            total += rss * pageSize
            if let status = System.readText("/proc/\(name)/status") {
                for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
                    largestPeak = max(largestPeak, (Int(line.filter(\.isNumber)) ?? 0) * 1024)
                }
            }
        }
        return (total, largestPeak)
    }
}
