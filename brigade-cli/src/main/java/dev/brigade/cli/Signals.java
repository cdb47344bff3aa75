package dev.brigade.cli;

/**
 * POSIX signals for {@code brigade serve}: handling SIGTERM and SIGINT ourselves (instead of the
 * JVM's shutdown hooks) is what lets a clean drain exit 0, which systemd and Kubernetes count as
 * a success; SIGHUP reloads. Uses {@code sun.misc.Signal} (module jdk.unsupported), the JDK's only
 * signal API.
 */
final class Signals {

    private Signals() {
    }

    /**
     * Runs {@code action} on a JDK signal thread each time the signal arrives; false if it cannot
     * be handled here: unknown on this platform, reserved by the JVM, or ignored since the process
     * started (under {@code nohup}, or a shell's background job): the JVM then keeps ignoring it,
     * and the previous handler it reports is {@code SIG_IGN}.
     */
    static boolean on(String name, Runnable action) {
        try {
            return sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> action.run()) != sun.misc.SignalHandler.SIG_IGN;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
