#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decides, batch by batch, which of the two threads of a conversion runs the record checks, and makes sure they
/// run on one thread at a time, in record order.
///
/// The reading thread reads and parses; the calling thread records diagnostics and writes. The checks (validator,
/// duplicate detector) go to whichever of the two is lighter, judged from the CPU time each thread spends per
/// record (`CLOCK_THREAD_CPUTIME_ID`, so time lost to other processes does not count), so that the busier thread
/// carries as little as possible.
///
/// The checks may keep state (the duplicate detector must see every record in order), so they are never run by
/// both threads at once and never out of order:
/// - a batch the reader checks is checked before it is queued, so it is checked after every earlier batch the
///   reader checked;
/// - a batch the reader leaves unchecked is counted in ``uncheckedInFlight`` until the consumer has checked it;
///   the reader takes the checks back only once that count is zero, that is once the consumer has checked every
///   earlier batch. The mutex orders each hand-over (what one thread's checks wrote is seen by the other's).
/// Once the consumer stops (``stop()``), the reader never runs a check again, and ``stop()`` returns only after a
/// check the reader was running has ended, so nothing touches the checks after the run.
final class CheckPlacement: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let policy: ConversionPipeline.ChecksThread
    /// CPU nanoseconds per record, averaged over recent batches: reading and parsing; the consumer's work
    /// without the checks; the checks (whichever thread ran them). 0: not measured yet.
    private var reading = 0.0
    private var consuming = 0.0
    private var checking = 0.0
    /// Where the checks go now.
    private var onReader = false
    private var batches = 0
    private var uncheckedInFlight = 0
    private var readerIsChecking = false
    private var stopped = false

    init(policy: ConversionPipeline.ChecksThread) {
        self.policy = policy
        // Balanced runs start with the checks on the reader: taking them away from it later costs nothing, while
        // giving them to it waits until the consumer has checked what is queued (up to the queue's length).
        onReader = policy == .reading || policy == .balanced
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        changed.deallocate()
        mutex.deallocate()
    }

    /// A running average that follows changes in the input within a few batches.
    private static func average(_ old: Double, _ nanos: UInt64, _ records: Int) -> Double {
        guard records > 0 else { return old }
        let sample = Double(nanos) / Double(records)
        return old == 0 ? sample : old * 0.75 + sample * 0.25
    }

    /// Where the checks of the next batch should go, by the measured costs: the placement whose busier thread
    /// carries less, changed only for a clear gain (10%), so that noise does not make the checks move to and fro.
    private func decide() -> Bool {
        switch policy {
        case .reading: return true
        case .writing: return false
        case .alternating: return batches % 2 == 1
        case .balanced:
            guard reading > 0, consuming > 0, checking > 0 else { return onReader }
            let withReader = max(reading + checking, consuming)
            let withConsumer = max(reading, consuming + checking)
            if onReader {
                if withConsumer < withReader * 0.9 { return false }
            } else if withReader < withConsumer * 0.9 {
                return true
            }
            return onReader
        }
    }

    /// Reader: a batch of `records` results was read in `nanos` CPU nanoseconds. Returns true when the reader is
    /// to check it now (then call ``readerFinishedChecks(nanos:records:)``); false when it goes to the consumer
    /// unchecked (the consumer then calls ``consumerFinishedChecks(nanos:records:)``). Waits, when the checks come
    /// back to the reader, until the consumer has checked every batch queued before.
    func readerWillCheck(readNanos nanos: UInt64, records: Int) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        reading = Self.average(reading, nanos, records)
        batches += 1
        onReader = decide()
        if onReader && !stopped {
            while uncheckedInFlight > 0 && !stopped {
                pthread_cond_wait(changed, mutex)
            }
            if !stopped {
                readerIsChecking = true
                return true
            }
        }
        uncheckedInFlight += 1
        return false
    }

    /// Reader: a batch of `records` results, read in `nanos` CPU nanoseconds, goes to the consumer uninterpreted
    /// (a staged reader's pending records), so unchecked.
    func readerLeavesUnchecked(readNanos nanos: UInt64, records: Int) {
        pthread_mutex_lock(mutex)
        reading = Self.average(reading, nanos, records)
        batches += 1
        uncheckedInFlight += 1
        pthread_mutex_unlock(mutex)
    }

    /// Reader: the checks of the batch are done.
    func readerFinishedChecks(nanos: UInt64, records: Int) {
        pthread_mutex_lock(mutex)
        checking = Self.average(checking, nanos, records)
        readerIsChecking = false
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
    }

    /// Consumer: an unchecked batch is checked.
    func consumerFinishedChecks(nanos: UInt64, records: Int) {
        pthread_mutex_lock(mutex)
        if records > 0 { checking = Self.average(checking, nanos, records) }
        uncheckedInFlight -= 1
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
    }

    /// Consumer: a batch of `records` results took `nanos` CPU nanoseconds besides its checks.
    func consumerFinished(nanos: UInt64, records: Int) {
        pthread_mutex_lock(mutex)
        consuming = Self.average(consuming, nanos, records)
        pthread_mutex_unlock(mutex)
    }

    /// Consumer: no more checks on the reader; returns once a check it was running has ended.
    func stop() {
        pthread_mutex_lock(mutex)
        stopped = true
        pthread_cond_broadcast(changed)
        while readerIsChecking {
            pthread_cond_wait(changed, mutex)
        }
        pthread_mutex_unlock(mutex)
    }
}

/// CPU time of the calling thread, in nanoseconds.
func threadCPUNanos() -> UInt64 {
    var time = timespec()
    guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time) == 0 else { return 0 }
    return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
}
