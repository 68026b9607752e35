#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A first-in first-out queue between one producing and one consuming thread, holding at most `capacity`
/// elements: the producer waits while it is full, so memory stays bounded however far ahead the producer could
/// run. Either side may close it: the consumer (``cancel()``) when it stops early, the producer (``finish()``)
/// when nothing more comes.
///
/// A pthread mutex and two condition variables guard the storage; every access to it holds the mutex, which is
/// what makes the `@unchecked Sendable` sound.
final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let notEmpty = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let notFull = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    let capacity: Int
    /// A ring of `capacity` slots: an element taken is cleared at once, so nothing outlives its turn however
    /// long the queue stays non-empty.
    private var slots: [Element?]
    private var head = 0
    private var waiting = 0
    private var finished = false
    private var cancelled = false

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        slots = Array(repeating: nil, count: self.capacity)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(notEmpty, nil)
        pthread_cond_init(notFull, nil)
    }

    deinit {
        pthread_cond_destroy(notFull)
        pthread_cond_destroy(notEmpty)
        pthread_mutex_destroy(mutex)
        notFull.deallocate()
        notEmpty.deallocate()
        mutex.deallocate()
    }

    /// Adds an element, waiting while the queue is full. Returns false (dropping the element) once the consumer
    /// has cancelled: the producer should stop.
    func push(_ element: Element) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while waiting >= capacity && !cancelled {
            pthread_cond_wait(notFull, mutex)
        }
        guard !cancelled else { return false }
        slots[(head + waiting) % capacity] = element
        waiting += 1
        pthread_cond_signal(notEmpty)
        return true
    }

    /// The next element, waiting while the queue is empty; nil once the producer has finished and everything
    /// pushed has been taken.
    func pop() -> Element? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while waiting == 0 && !finished {
            pthread_cond_wait(notEmpty, mutex)
        }
        guard waiting > 0 else { return nil }
        let element = slots[head]
        slots[head] = nil
        head = (head + 1) % capacity
        waiting -= 1
        pthread_cond_signal(notFull)
        return element
    }

    /// The producer is done: ``pop()`` returns nil after the last element.
    /// How many elements wait to be popped.
    var count: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return waiting
    }

    func finish() {
        pthread_mutex_lock(mutex)
        finished = true
        pthread_cond_broadcast(notEmpty)
        pthread_mutex_unlock(mutex)
    }

    /// The consumer stops taking elements: a waiting or later ``push(_:)`` returns false, and what is queued is
    /// dropped.
    func cancel() {
        pthread_mutex_lock(mutex)
        cancelled = true
        for index in slots.indices { slots[index] = nil }
        waiting = 0
        pthread_cond_broadcast(notFull)
        pthread_mutex_unlock(mutex)
    }
}

/// Hands a value that is not `Sendable` to exactly one other thread. The sender must not touch the value after
/// handing it over; the pipeline uses it for the inputs (`ByteReader`s), which only the reading thread uses from
/// then on.
final class HandOver<Value>: @unchecked Sendable {
    private var value: Value?

    init(_ value: Value) { self.value = value }

    /// The value, once; the box is empty afterwards.
    func take() -> Value? {
        defer { value = nil }
        return value
    }
}

/// A dedicated thread running one closure, which can be waited for.
struct WorkerThread: Sendable {
    #if canImport(Darwin)
    private typealias Handle = pthread_t?
    #else
    private typealias Handle = pthread_t
    #endif
    private final class Start: @unchecked Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    private let handle: Handle

    /// Starts `body` on a new thread; nil when the system cannot make one (the caller then does the work itself).
    static func start(_ body: @escaping @Sendable () -> Void) -> WorkerThread? {
        let start = Unmanaged.passRetained(Start(body)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        // Record readers recurse as deep as ReaderOptions.maxDepth allows: give them the main thread's room.
        pthread_attr_setstacksize(&attributes, 8 << 20)
        #if canImport(Darwin)
        var handle: pthread_t?
        #else
        var handle = pthread_t()
        #endif
        let status = pthread_create(&handle, &attributes, { argument in
            #if canImport(Darwin)
            let start = Unmanaged<Start>.fromOpaque(argument).takeRetainedValue()
            #else
            guard let argument else { return nil }
            let start = Unmanaged<Start>.fromOpaque(argument).takeRetainedValue()
            #endif
            start.body()
            return nil
        }, start)
        guard status == 0 else {
            Unmanaged<Start>.fromOpaque(start).release()
            return nil
        }
        return WorkerThread(handle: handle)
    }

    /// Waits until the thread's closure has returned.
    func join() {
        #if canImport(Darwin)
        if let handle { pthread_join(handle, nil) }
        #else
        pthread_join(handle, nil)
        #endif
    }

    /// Lets the thread end on its own; nobody waits for it.
    func detach() {
        #if canImport(Darwin)
        if let handle { pthread_detach(handle) }
        #else
        pthread_detach(handle)
        #endif
    }
}

/// The number of processors online, at least 1.
func onlineProcessorCount() -> Int {
    max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}

/// Carries what the consuming thread is done with back to the producing thread, which lets it go there.
///
/// Why: memory is cheapest to free on the thread that allocated it. A record read on one thread and dropped on
/// the other makes the allocator hand every block back to the first thread's arena under that arena's lock, while
/// the first thread allocates from it: with two busy threads the lock bounces between the cores and waiting on it
/// costs system calls (measured: a two-thread conversion spent a quarter of its extra CPU time in the allocator's
/// lock and in `futex` wake-ups). Handed back, the records are freed where they were made, mostly from the
/// thread's own cache of free blocks.
///
/// Neither side ever waits: the consumer drops a batch itself when the producer has stopped taking them or is
/// more than ``capacity`` batches behind, and the producer takes whatever is there between its own batches.
final class RecycleBin<Element: Sendable>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var held: [Element] = []
    private var closed = false
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        held.reserveCapacity(self.capacity)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Consumer: hands `element` back. Returns it (for the caller to drop) when the bin is full or closed.
    func put(_ element: Element) -> Element? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard !closed, held.count < capacity else { return element }
        held.append(element)
        return nil
    }

    /// Producer: lets go of everything handed back, outside the lock.
    func empty() {
        pthread_mutex_lock(mutex)
        guard !held.isEmpty else {
            pthread_mutex_unlock(mutex)
            return
        }
        var taken: [Element] = []
        taken.reserveCapacity(capacity)
        swap(&taken, &held)
        pthread_mutex_unlock(mutex)
        taken.removeAll()  // the elements are freed here, on the producer's thread
    }

    /// Producer: takes nothing more (it is about to end) and lets go of what is held; from here on the consumer
    /// drops its batches itself.
    func close() {
        pthread_mutex_lock(mutex)
        closed = true
        let taken = held
        held = []
        pthread_mutex_unlock(mutex)
        _ = taken
    }
}
