package dev.gptoss4j.tools.sandbox;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;

/**
 * The memory watchdog's view of the JVM. The community build has no per-context heap limit
 * (sandbox.MaxHeapMemory is an Oracle GraalVM feature), so a running call is watched from outside:
 * heap growth since the call began, confirmed by a collection so that garbage is not mistaken for
 * live data, and attributed to the call's thread through its allocation counter.
 */
final class HeapWatch {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.ThreadMXBean HOTSPOT_THREADS =
            THREADS instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported() ? t : null;

    private HeapWatch() {}

    static long heapUsed() {
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    static long heapMax() {
        long max = MEMORY.getHeapMemoryUsage().getMax();
        return max > 0 ? max : Runtime.getRuntime().maxMemory();
    }

    /** Bytes the thread has allocated so far, or -1 where the JVM cannot tell. */
    static long allocatedBy(Thread thread) {
        if (HOTSPOT_THREADS == null) {
            return -1;
        }
        return HOTSPOT_THREADS.getThreadAllocatedBytes(thread.threadId());
    }

    /** Heap in use after a full collection: live data only. */
    static long heapUsedAfterGc() {
        System.gc();
        return heapUsed();
    }
}
