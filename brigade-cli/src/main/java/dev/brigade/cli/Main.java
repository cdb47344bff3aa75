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
        System.exit(new CommandLine(new Main()).execute(args));
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
