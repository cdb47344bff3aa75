package dev.brigade.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code brigade} as an operator runs it, for the integration tests: the checkout's {@code ./brigade}
 * launcher (system property {@code brigade.launcher}, set by Failsafe) on the jar {@code package}
 * made, with {@code JAVA_HOME} the test's JDK. Its standard output and error are one stream of lines,
 * read as they come; waiting is always on a line, bounded in time.
 */
final class Launcher implements AutoCloseable {

    /** The end of the output (the process closed it), in the queue of lines. */
    private static final String EOF = new String("<end of output>");

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private Launcher(Process process) {
        this.process = process;
        Thread.ofVirtual().name("brigade-output-" + process.pid()).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (IOException e) {
                // the process is gone; EOF below
            }
            lines.add(EOF);
        });
    }

    static Path script() {
        String s = System.getProperty("brigade.launcher");
        if (s == null) {
            throw new IllegalStateException("brigade.launcher is not set: run the *IT tests with Failsafe (./mvnw verify)");
        }
        Path p = Path.of(s).toAbsolutePath().normalize();
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException(p + " is not an executable launcher");
        }
        return p;
    }

    /** Starts {@code ./brigade ARGS} in {@code dir}. */
    static Launcher start(Path dir, String... args) throws IOException {
        return startUnder(List.of(), dir, args);
    }

    /** Starts {@code PREFIX ./brigade ARGS} in {@code dir}: {@code nohup}, say, which execs the launcher. */
    static Launcher startUnder(List<String> prefix, Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(script().toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return new Launcher(pb.start());
    }

    /** What a run that ends by itself printed, and its exit code. */
    record Result(int exitCode, List<String> lines) {
        String output() {
            return String.join("\n", lines);
        }
    }

    /** Runs {@code ./brigade ARGS} to its end (at most 60 s). */
    static Result run(Path dir, String... args) throws Exception {
        try (Launcher l = start(dir, args)) {
            List<String> out = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (String line; (line = l.lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != EOF; ) {
                if (line == null) {
                    throw new AssertionError("brigade " + String.join(" ", args) + " still running after 60 s; printed: " + out);
                }
                out.add(line);
            }
            if (!l.process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("brigade " + String.join(" ", args) + " closed its output but did not exit");
            }
            return new Result(l.process.exitValue(), out);
        }
    }

    Process process() {
        return process;
    }

    long pid() {
        return process.pid();
    }

    /** The next line matching {@code p} (lines before it are kept in {@link #seen}); fails after {@code seconds}. */
    Matcher await(Pattern p, int seconds) throws InterruptedException {
        return await(p, seconds, new ArrayList<>());
    }

    /** As {@link #await(Pattern, int)}, adding the lines skipped on the way to {@code skipped}. */
    Matcher await(Pattern p, int seconds, List<String> skipped) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line == EOF) {
                if (line == EOF) {
                    lines.add(EOF); // stays the end for the next reader
                }
                throw new AssertionError((line == null ? "no line matching " : "output ended without a line matching ")
                        + p + " in " + seconds + " s; output so far: " + seen);
            }
            seen.add(line);
            Matcher m = p.matcher(line);
            if (m.find()) {
                return m;
            }
            skipped.add(line);
        }
    }

    /** The port of the first URL of the banner: {@code brigade: serving … on http://ADDRESS:PORT/}. */
    int awaitBanner() throws InterruptedException {
        return Integer.parseInt(await(Pattern.compile("^brigade: serving .* on http://[^ ]*:(\\d+)/"), 60).group(1));
    }

    /** The server's threads (jcmd Thread.print), for a failure that waited in vain: what it was doing. */
    String threadDump() {
        return jcmd("Thread.print");
    }

    /** What {@code jcmd PID COMMAND} prints about the server's JVM (or why it could not). */
    String jcmd(String command) {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(process.pid()), command).redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jcmd.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (Exception e) {
            return "no jcmd " + command + ": " + e;
        }
    }

    /** Sends a signal by name (HUP, INT, TERM) with kill(1): the JDK sends only TERM and KILL. */
    void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + name + " " + process.pid() + " failed: "
                    + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Waits for the exit (at most {@code seconds}) and returns its code. */
    int awaitExit(int seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("brigade did not exit within " + seconds + " s; output: " + seen);
        }
        return process.exitValue();
    }

    /** Every line, once the process has closed its output (at most {@code seconds} from now). */
    List<String> allOutput(int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (String line; (line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != EOF; ) {
            if (line == null) {
                throw new AssertionError("brigade's output did not end within " + seconds + " s; printed: " + seen);
            }
            seen.add(line);
        }
        lines.add(EOF); // stays the end for the next reader
        return List.copyOf(seen);
    }

    /** Every line read so far. */
    List<String> seen() {
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            // the launcher execs java, so this PID is the server's JVM
            process.destroyForcibly();
        }
    }
}
