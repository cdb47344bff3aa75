package dev.brigade.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a child JVM by {@link HeapReturnTest}: calls {@link HeapReturn#apply()} (unless told
 * {@code skip}), grows the heap with a burst of arrays, collects while 64 MB of them are live, and prints the flags
 * and the heap's committed and used bytes after the collection, one {@code key=value} per line.
 */
public final class HeapReturnProbe {
    private static volatile Object sink;

    public static void main(String[] args) {
        List<String> changed = args.length > 0 && args[0].equals("skip") ? List.of() : HeapReturn.apply();
        List<byte[]> held = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            byte[] chunk = new byte[64 * 1024];
            sink = chunk;
            held.add(chunk);
            if (held.size() == 2_000) {   // 128 MB live at the peak, then garbage
                held.clear();
            }
        }
        // 1,000 chunks (64 MB) stay live through the collection, so that the heap is well above G1's minimum.
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
