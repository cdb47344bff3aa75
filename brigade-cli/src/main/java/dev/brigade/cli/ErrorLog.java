package dev.brigade.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The server log on standard error: the library's {@code System.Logger} lines through
 * java.util.logging, one line per event ({@code 2026-11-30 04:12:09 WARNING conn 42 from …}),
 * at the threshold {@code --log-level} sets.
 */
final class ErrorLog {

    /** {@code --log-level} values. */
    enum Level {
        error(java.util.logging.Level.SEVERE),
        warning(java.util.logging.Level.WARNING),
        info(java.util.logging.Level.INFO),
        debug(java.util.logging.Level.FINE);

        final java.util.logging.Level jul;

        Level(java.util.logging.Level jul) {
            this.jul = jul;
        }
    }

    private static final String ONE_LINE = "%1$tF %1$tT %4$s %5$s%6$s%n";

    /**
     * Brigade's own loggers, which {@code debug} opens; held here, since java.util.logging keeps
     * loggers weakly and a collected one would forget its level.
     */
    private static final Logger BRIGADE = Logger.getLogger("dev.brigade");

    private ErrorLog() {
    }

    /** Sends every log record to standard error as one line (a stack trace only follows a bug's). */
    static void configure(Level level) {
        System.setProperty("java.util.logging.SimpleFormatter.format", ONE_LINE);
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler console = new ConsoleHandler();
        console.setFormatter(new SimpleFormatter());
        console.setLevel(level.jul);
        root.addHandler(console);
        // debug is Brigade's debug: the JDK's own debug records are not for operators (one of them,
        // java.lang.Runtime's, is a stack trace at every exit)
        root.setLevel(level.jul.intValue() < java.util.logging.Level.INFO.intValue() ? java.util.logging.Level.INFO : level.jul);
        BRIGADE.setLevel(level.jul);
    }
}
