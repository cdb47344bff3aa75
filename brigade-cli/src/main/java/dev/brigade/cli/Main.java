package dev.brigade.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code brigade} command: subcommands, {@code --help} and {@code --version}. */
@Command(name = "brigade",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Brigade: an event-driven HTTP/1.1 server for the JVM.",
        subcommands = {ServeCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).setExecutionExceptionHandler(Main::oneLine).execute(args));
    }

    /** A certificate or key that cannot be used is the operator's to fix: one line, exit 1, no stack trace. */
    private static int oneLine(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof dev.brigade.tls.TlsConfigException) {
            cmd.getErr().println("brigade: " + e.getMessage());
            return 1;
        }
        throw e;
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
