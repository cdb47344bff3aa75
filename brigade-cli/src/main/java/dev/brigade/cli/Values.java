package dev.brigade.cli;

import java.nio.file.FileSystems;
import java.util.Locale;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The option values of {@code brigade serve} that need more than a type: ports, counts, sizes,
 * globs, media types. Each converter's message says what is allowed, so that picocli's one line
 * ("Invalid value for option '--port' (PORT): …") is all an operator needs; the config file goes
 * through the same converters.
 */
final class Values {

    private Values() {
    }

    /** A TCP port, 0 (any free port) to 65535. */
    static final class Port implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return inRange(value, 0, 65535, "a port (0 for any free one, up to 65535)");
        }
    }

    /** A number of event loops, 1 to 256. */
    static final class Loops implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return inRange(value, 1, 256, "a number of loops (1 to 256)");
        }
    }

    /** A gzip level, 0 (off) to 9. */
    static final class GzipLevel implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return inRange(value, 0, 9, "a gzip level (0 for off, 1 to 9)");
        }
    }

    /** Whole seconds, 0 or more (at most a day). */
    static final class Seconds implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return inRange(value, 0, 86_400, "a number of seconds (0 to 86400)");
        }
    }

    /** A count of 1 or more. */
    static final class Count implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return inRange(value, 1, Integer.MAX_VALUE, "a count (1 or more)");
        }
    }

    /** A size in bytes, with an optional k, m or g suffix (powers of 1024). */
    static final class Size implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            long unit = 1;
            if (!v.isEmpty()) {
                switch (v.charAt(v.length() - 1)) {
                    case 'k' -> unit = 1L << 10;
                    case 'm' -> unit = 1L << 20;
                    case 'g' -> unit = 1L << 30;
                    default -> unit = 1;
                }
            }
            String digits = unit == 1 ? v : v.substring(0, v.length() - 1);
            try {
                long n = Long.parseLong(digits);
                if (n >= 0 && n <= Long.MAX_VALUE / unit) {
                    return n * unit;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("'" + value + "' is not a size (bytes, or with k, m or g: 64m)");
        }
    }

    /** The file name of a directory's index: one plain name, no path. */
    static final class FileName implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (value.isEmpty() || value.equals(".") || value.equals("..") || value.contains("/")
                    || value.contains("\\") || value.indexOf('\0') >= 0) {
                throw new TypeConversionException("'" + value + "' is not a plain file name (no '/', not '..')");
            }
            return value;
        }
    }

    /** {@code GLOB=VALUE} for Cache-Control: the glob must compile, the value be a header value. */
    static final class CacheControlRule implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String[] kv = pair(value, "GLOB=VALUE, e.g. 'assets/**=public, max-age=31536000'");
            try {
                FileSystems.getDefault().getPathMatcher("glob:" + kv[0]);
            } catch (PatternSyntaxException e) {
                throw new TypeConversionException("'" + value + "': '" + kv[0] + "' is not a glob (" + e.getDescription() + ")");
            }
            headerValue(kv[1]);
            return value;
        }
    }

    /** {@code EXT=TYPE} for a file extension's media type. */
    static final class MimeRule implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String[] kv = pair(value, "EXT=TYPE, e.g. 'webmanifest=application/manifest+json'");
            if (!kv[0].matches("[A-Za-z0-9._+-]+")) {
                throw new TypeConversionException("'" + kv[0] + "' is not a file extension");
            }
            if (!kv[1].matches("[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(\\s*;.*)?")) {
                throw new TypeConversionException("'" + kv[1] + "' is not a media type (type/subtype)");
            }
            headerValue(kv[1]);
            return value;
        }
    }

    /** {@code --bridge}: parsed once here so that a bad spec is a usage error. */
    static final class BridgeKind implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            BridgeSpec.check(value);
            return value;
        }
    }

    /** A socket transport: nio, epoll or auto. */
    static final class Transport implements ITypeConverter<dev.brigade.server.SocketTransport> {
        @Override
        public dev.brigade.server.SocketTransport convert(String value) {
            try {
                return dev.brigade.server.SocketTransport.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Splits {@code KEY=VALUE} around its first '=', both sides trimmed and non-empty. */
    static String[] pair(String value, String expected) {
        int eq = value.indexOf('=');
        if (eq <= 0 || eq == value.length() - 1 || value.substring(0, eq).isBlank() || value.substring(eq + 1).isBlank()) {
            throw new TypeConversionException("'" + value + "' is not " + expected);
        }
        return new String[] {value.substring(0, eq).trim(), value.substring(eq + 1).trim()};
    }

    private static void headerValue(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                throw new TypeConversionException("'" + v + "' cannot be a header value (control character)");
            }
        }
    }

    private static int inRange(String value, int min, int max, String what) {
        try {
            long n = Long.parseLong(value.trim());
            if (n >= min && n <= max) {
                return (int) n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new TypeConversionException("'" + value + "' is not " + what);
    }
}
