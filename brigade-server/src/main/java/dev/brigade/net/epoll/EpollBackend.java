package dev.brigade.net.epoll;

import dev.brigade.net.IoBackend;
import dev.brigade.net.ListenSocket;
import dev.brigade.net.Poller;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * The epoll transport, if this JVM can run it: Linux on x86_64 or aarch64, native access enabled
 * for this module ({@code --enable-native-access=ALL-UNNAMED} on the class path, or
 * {@code =dev.brigade.server} on the module path; the manifest attribute {@code Enable-Native-Access}
 * for an executable jar), and every C function found. {@link #unavailableReason()} says why not;
 * it checks native access before calling any restricted method, so a JVM without it gets no warning.
 */
public final class EpollBackend implements IoBackend {

    private static final String UNAVAILABLE = probe();
    private static final EpollBackend INSTANCE = new EpollBackend();

    private EpollBackend() {
    }

    /** Null when epoll can run here, else why not (one line). */
    public static String unavailableReason() {
        return UNAVAILABLE;
    }

    /** The transport; {@link IllegalStateException} with the reason when it cannot run here. */
    public static EpollBackend get() {
        if (UNAVAILABLE != null) {
            throw new IllegalStateException(UNAVAILABLE);
        }
        return INSTANCE;
    }

    /** Whether files go out with sendfile (the JVM opened {@code java.base/sun.nio.ch} to us) or through a copy. */
    public static boolean zeroCopyFiles() {
        return FileDescriptors.available();
    }

    private static String probe() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return "epoll needs Linux, this is " + System.getProperty("os.name");
        }
        String arch = System.getProperty("os.arch", "");
        if (!arch.equals("amd64") && !arch.equals("x86_64") && !arch.equals("aarch64")) {
            return "the epoll transport supports x86_64 and aarch64, not " + arch;
        }
        Module module = EpollBackend.class.getModule();
        if (!module.isNativeAccessEnabled()) {
            return "native access is not enabled (run java with --enable-native-access="
                    + (module.isNamed() ? module.getName() : "ALL-UNNAMED") + ")";
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(LibC.CAPTURE_LAYOUT); // loads LibC: binds every function
            int epfd = LibC.epollCreate1(errno, LibC.EPOLL_CLOEXEC);
            if (epfd < 0) {
                return "epoll_create1 failed: " + LibC.strerror(LibC.errno(errno));
            }
            LibC.close(errno, epfd);
            return null;
        } catch (Throwable t) { // UnsatisfiedLinkError, IllegalCallerException, ExceptionInInitializerError
            return "the C library could not be bound: " + t;
        }
    }

    @Override
    public String name() {
        return "epoll";
    }

    @Override
    public Poller openPoller() throws IOException {
        return new EpollPoller();
    }

    @Override
    public ListenSocket listen(InetSocketAddress address, int backlog) throws IOException {
        return EpollListenSocket.open(address, backlog);
    }

    @Override
    public String toString() {
        return name();
    }
}
