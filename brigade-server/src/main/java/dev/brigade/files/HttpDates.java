package dev.brigade.files;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * HTTP dates (RFC 9110 §5.6.7): sent as IMF-fixdate; read in all three forms a recipient must
 * accept (IMF-fixdate, RFC 850, asctime). Seconds since the epoch; an unreadable date is -1, and
 * a conditional header holding one is ignored, as the RFC says.
 */
final class HttpDates {

    private static final DateTimeFormatter IMF = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RFC850 = DateTimeFormatter
            .ofPattern("dd-MMM-yy HH:mm:ss 'GMT'", Locale.US); // after the day name, which is not cross-checked
    private static final DateTimeFormatter ASCTIME = DateTimeFormatter
            .ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US);

    private HttpDates() {
    }

    static String format(long epochSeconds) {
        return IMF.format(Instant.ofEpochSecond(epochSeconds));
    }

    /** Seconds since the epoch, or -1 if the value is not an HTTP date. */
    static long parse(String value) {
        if (value == null) {
            return -1;
        }
        String v = value.trim();
        try {
            return LocalDateTime.parse(v, IMF).toEpochSecond(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            // try the obsolete forms
        }
        try {
            LocalDateTime t = LocalDateTime.parse(v.substring(v.indexOf(',') + 1).trim(), RFC850);
            // two-digit years: RFC 9110 §5.6.7, more than 50 years ahead means the past century
            if (t.getYear() > LocalDateTime.now(ZoneOffset.UTC).getYear() + 50) {
                t = t.minusYears(100);
            }
            return t.toEpochSecond(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            // try asctime
        }
        try {
            return LocalDateTime.parse(v, ASCTIME).toEpochSecond(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return -1;
        }
    }
}
