package dev.brigade.net.epoll;

import java.io.FileDescriptor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.channels.FileChannel;

/**
 * The file descriptor behind a JDK {@link FileChannel}, which {@code sendfile} needs and the JDK
 * does not expose: read from {@code sun.nio.ch.FileChannelImpl.fd} by deep reflection, which works
 * only when the JVM runs with {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} (the launch
 * scripts, the jar manifests and the tests pass it). Without it, {@link #of} answers -1 and the
 * endpoint sends files by reading them into its scratch buffer (one copy more, see
 * {@code EpollEndpoint#transferFrom}). Decided once, quietly: no warning either way.
 */
final class FileDescriptors {

    private static final Class<?> IMPL;
    private static final MethodHandle FD; // (FileChannelImpl) -> FileDescriptor
    private static final MethodHandle FD_VAL; // (FileDescriptor) -> int

    static {
        Class<?> impl = null;
        MethodHandle fd = null;
        MethodHandle fdVal = null;
        try {
            impl = Class.forName("sun.nio.ch.FileChannelImpl");
            Field f = impl.getDeclaredField("fd");
            f.setAccessible(true); // InaccessibleObjectException unless the package is opened to us
            Method m = Class.forName("sun.nio.ch.IOUtil").getDeclaredMethod("fdVal", FileDescriptor.class);
            m.setAccessible(true);
            // typed for invokeExact: the channel is cast to the implementation inside the handle
            fd = MethodHandles.lookup().unreflectGetter(f)
                    .asType(java.lang.invoke.MethodType.methodType(FileDescriptor.class, FileChannel.class));
            fdVal = MethodHandles.lookup().unreflect(m);
        } catch (ReflectiveOperationException | RuntimeException e) {
            impl = null;
        }
        IMPL = impl;
        FD = fd;
        FD_VAL = fdVal;
    }

    private FileDescriptors() {
    }

    /** Whether file descriptors can be read here (and so whether files go by sendfile). */
    static boolean available() {
        return IMPL != null;
    }

    /** The descriptor of an open JDK file channel, or -1 when it cannot be had. */
    static int of(FileChannel channel) {
        if (IMPL == null || channel.getClass() != IMPL || !channel.isOpen()) {
            return -1;
        }
        try {
            return (int) FD_VAL.invokeExact((FileDescriptor) FD.invokeExact(channel));
        } catch (Throwable t) {
            return -1;
        }
    }
}
