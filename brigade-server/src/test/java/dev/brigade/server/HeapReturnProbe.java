package dev.brigade.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a child JVM by {@link HeapReturnTest}: calls {@link HeapReturn#apply()} (unless told
 * {@code skip}), grows the heap with a burst of arrays, collects while 128 MB of them are live, and prints the flags
 * and the heap's committed and used bytes after the collection, one {@code key=value} per line.
 */
public final class HeapReturnProbe {
    private static volatile Object sink;

    public static void main(String[] args) {
        List<String> changed = args.length > 0 && args[0].equals("skip") ? List.of() : HeapReturn.apply();
        List<byte[]> held = new ArrayList<>();
        // 256 MB live at the peak: the heap grows well past what the 128 MB kept need at 30% free,
        // so the collection has something to give back.
        for (int i = 0; i < 6_000; i++) {
            byte[] chunk = new byte[64 * 1024];
            sink = chunk;
            held.add(chunk);
            if (held.size() == 4_000) {
                held.clear();
            }
        }
        // 2,000 chunks (128 MB) stay live through the collection: well above G1's minimum, and large
        // enough that rounding to regions moves the free share by little.
        System.gc();
        sink = held;
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        System.out.println("changed=" + String.join(",", changed));
        for (String flag : List.of(HeapReturn.MIN_FREE, HeapReturn.MAX_FREE, HeapReturn.PERIODIC)) {
            System.out.println(flag + "=" + vm.getVMOption(flag).getValue());
        }
        System.out.println("committed=" + heap.getCommitted());
        System.out.println("used=" + heap.getUsed());
    }
}
