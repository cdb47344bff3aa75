package dev.brigade.dist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the packaged programs as real processes: to completion, or as a server whose port is read from its banner. */
final class Proc {

    /** What a finished command printed (stdout and stderr together) and its exit code. */
    record Result(int exit, String output) { }

    private Proc() { }

    /** The JDK running the tests: the one the launcher is pointed at through JAVA_HOME unless a test says otherwise. */
    static String javaHome() {
        return System.getProperty("java.home");
    }

    static Result run(Path dir, Consumer<Map<String, String>> env, List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", javaHome());
        env.accept(pb.environment());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not finish: " + command + "\n" + out);
        }
        return new Result(p.exitValue(), out);
    }

    static Result run(Path dir, List<String> command) throws Exception {
        return run(dir, env -> { }, command);
    }

    /** A started server: its process, the port its banner announced, and what it printed so far. */
    record Server(Process process, int port, StringBuffer output) implements AutoCloseable {
        /** SIGTERM by PID, as systemd and the kubelet send it. */
        void sigterm() throws Exception {
            Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new AssertionError("kill -TERM " + process.pid() + " failed");
            }
        }

        int awaitExit() throws Exception {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the server did not exit after SIGTERM:\n" + output);
            }
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    /** Starts a server and waits for the line announcing http://127.0.0.1:PORT/ (the port --port 0 chose). */
    static Server start(Path dir, List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", javaHome());
        Process p = pb.start();
        p.getOutputStream().close();
        StringBuffer output = new StringBuffer();
        Pattern url = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)");
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) { // ends when the process does: no deadline needed
            output.append(line).append('\n');
            Matcher m = url.matcher(line);
            if (m.find()) {
                Thread.ofVirtual().start(() -> out.lines().forEach(l -> output.append(l).append('\n')));
                return new Server(p, Integer.parseInt(m.group(1)), output);
            }
        }
        p.destroyForcibly();
        throw new AssertionError("the server exited without announcing its port:\n" + output);
    }
}
