package dev.brigade.dispatch;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A load client run in its own JVM (so that 10,000 client sockets do not share the server's file
 * descriptor limit): {@code n} virtual threads, each connecting a plain {@link Socket}; once all are
 * connected, each sends one blocking HTTP/1.1 request and reads the response to EOF, so the
 * {@code n} requests are in flight together. Prints {@code ok=<n> failed=<n> ms=<n>}, the time
 * counted from the moment all were connected.
 */
public final class VtLoadClient {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        String path = args[2];
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: load.test\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger firstErrors = new AtomicInteger();
        CountDownLatch connected = new CountDownLatch(n);
        long[] t0 = new long[1];
        List<Thread> threads = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try (Socket s = new Socket()) {
                    try {
                        s.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
                    } finally {
                        connected.countDown();
                    }
                    connected.await();
                    s.setSoTimeout(30_000);
                    OutputStream out = s.getOutputStream();
                    out.write(request);
                    out.flush();
                    InputStream in = s.getInputStream();
                    String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                    if (response.startsWith("HTTP/1.1 200")) {
                        ok.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        if (firstErrors.incrementAndGet() <= 5) {
                            System.err.println("bad response: " + response.lines().findFirst().orElse("(none)"));
                        }
                    }
                } catch (Exception e) {
                    failed.incrementAndGet();
                    if (firstErrors.incrementAndGet() <= 5) {
                        System.err.println("failed: " + e);
                    }
                }
            }));
        }
        connected.await();
        t0[0] = System.nanoTime();
        for (Thread t : threads) {
            t.join();
        }
        System.out.println("ok=" + ok.get() + " failed=" + failed.get() + " ms=" + (System.nanoTime() - t0[0]) / 1_000_000);
    }
}
