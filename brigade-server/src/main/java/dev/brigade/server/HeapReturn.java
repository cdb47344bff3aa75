package dev.brigade.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes the JVM give free heap back to the operating system, for a process whose job is serving:
 * {@code brigade serve} and the bench server call {@link #apply()} at start; a program that embeds
 * the library decides for itself (nothing here runs unless called).
 *
 * <p>Why: a burst of new connections (or any burst) makes G1 touch every region of its young
 * generation, and with the JVM's defaults the free regions stay resident after the burst — an idle
 * server with 10,000 connections then holds ~24 MB of heap pages that hold nothing. Two changes,
 * both to G1's <em>manageable</em> flags, so that they can be set from inside the process:
 *
 * <ul>
 *   <li>{@code MinHeapFreeRatio=10}, {@code MaxHeapFreeRatio=30} (defaults 40 and 70): when a
 *       collection that resizes the heap (a full GC, or the remark of a concurrent cycle) leaves more
 *       than 30% of it free, G1 shrinks it and uncommits the rest.
 *   <li>{@code G1PeriodicGCInterval=60000} (default 0, off): after a minute without any collection,
 *       G1 starts a concurrent cycle, so a server that went quiet shrinks without waiting for load
 *       (JEP 346). A busy server collects more often than that and never sees it.
 * </ul>
 *
 * <p>Young collections under load do not consult these ratios, so steady-state throughput does not
 * change (brigade-bench/RESULTS.md has the measurements). Nothing changes when the collector is not
 * G1 (the JVM picks Serial below 2 CPUs or 1792 MB: a small container), and a flag the operator set
 * ({@code -XX:...}, {@code JAVA_TOOL_OPTIONS}, {@code jcmd VM.set_flag}) is left as it is; the two
 * ratios count as one setting, since each bounds the other. To opt out, set the JVM's defaults
 * explicitly: {@code -XX:MinHeapFreeRatio=40 -XX:MaxHeapFreeRatio=70 -XX:G1PeriodicGCInterval=0}.
 *
 * <p>It needs the {@code jdk.management} module, which the library only {@code requires static}, so
 * that a runtime image without it can still run the server: in a full JDK it is there, on the class
 * path and on the module path alike (java.management's services bring it in). Where it is missing
 * ({@code --limit-modules}, a jlink'd image), or the JVM is not HotSpot, {@link #apply()} changes
 * nothing and says so by returning an empty list — never an exception, since it runs while a server
 * starts.
 */
public final class HeapReturn {
    static final String MIN_FREE = "MinHeapFreeRatio";
    static final String MAX_FREE = "MaxHeapFreeRatio";
    static final String PERIODIC = "G1PeriodicGCInterval";

    static final String MIN_FREE_VALUE = "10";
    static final String MAX_FREE_VALUE = "30";
    static final String PERIODIC_VALUE = "60000";

    private HeapReturn() {
    }

    /**
     * Sets the flags above where G1 runs and the operator left them alone.
     *
     * @return the flags changed, as {@code name=value} (empty when none was)
     */
    public static List<String> apply() {
        List<String> changed = new ArrayList<>();
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (vm == null || !"true".equals(vm.getVMOption("UseG1GC").getValue())) {
                return changed;
            }
            if (untouched(vm, MIN_FREE) && untouched(vm, MAX_FREE)) {
                // Lower the minimum first: the JVM refuses a maximum below the current minimum.
                set(vm, MIN_FREE, MIN_FREE_VALUE, changed);
                set(vm, MAX_FREE, MAX_FREE_VALUE, changed);
            }
            if (untouched(vm, PERIODIC)) {
                set(vm, PERIODIC, PERIODIC_VALUE, changed);
            }
        } catch (RuntimeException | LinkageError notHotSpotOrNoModule) {
            // Another JVM (no such flag: IllegalArgumentException), or jdk.management not readable
            // (module path): what was set before the failure stays, and is what the list says.
        }
        return changed;
    }

    private static boolean untouched(HotSpotDiagnosticMXBean vm, String name) {
        return vm.getVMOption(name).getOrigin() == VMOption.Origin.DEFAULT;
    }

    private static void set(HotSpotDiagnosticMXBean vm, String name, String value, List<String> changed) {
        vm.setVMOption(name, value);
        changed.add(name + "=" + value);
    }
}
