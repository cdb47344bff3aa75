package dev.brigade.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code brigade} command: subcommands, {@code --help} and {@code --version}, and how failures
 * end. A bad option or value (a --root that is not a directory included) is one line and exit 2; a
 * problem of the machine or of a file (a port in use, an address not on this machine, an access log
 * that cannot be opened, a bad config file line, an unusable certificate) one line and exit 1; only a
 * bug shows a stack trace.
 */
@Command(name = "brigade",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Brigade: an event-driven HTTP/1.1 server for the JVM.",
        subcommands = {ServeCommand.class, CheckConfigCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with brigade's failure handling (for tests as for main). */
    static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setParameterExceptionHandler(Main::usageError)
                .setExecutionExceptionHandler(Main::operatorError);
    }

    /** One line naming the option and what is allowed, a suggestion for a misspelt one, exit 2. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String name = cmd.getCommandName().equals("brigade") ? "brigade" : "brigade " + cmd.getCommandName();
        String hint = "";
        if (e instanceof CommandLine.UnmatchedArgumentException u) {
            List<String> close = u.getSuggestions();
            hint = close.isEmpty() ? "" : " (did you mean " + String.join(" or ", close.subList(0, Math.min(3, close.size()))) + "?)";
        }
        cmd.getErr().println(name + ": " + e.getMessage() + hint + "; see '" + name + " --help'");
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** The operator's to fix, not ours: one line, exit 1. Anything else is a bug and keeps its trace. */
    private static int operatorError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) throws Exception {
        String line = switch (e) {
            case StartupException s -> s.getMessage();
            case ConfigException c -> c.getMessage();
            case dev.brigade.tls.TlsConfigException t -> t.getMessage();
            case dev.brigade.server.TransportUnavailableException t -> t.getMessage() + " (--transport)";
            case UncheckedIOException u when u.getMessage() != null && u.getMessage().startsWith("cannot listen") ->
                    u.getMessage().replace(" /", " ") + " (--bind, --port): " + StartupException.reason(u.getCause());
            case IOException io -> StartupException.reason(io);
            default -> null;
        };
        if (line == null) {
            throw e;
        }
        cmd.getErr().println("brigade: " + line);
        return 1;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The version from the jar's manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {
                "brigade " + (v == null ? "0.1.0-SNAPSHOT" : v),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
            };
        }
    }
}
