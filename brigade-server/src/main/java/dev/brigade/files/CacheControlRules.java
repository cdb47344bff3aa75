package dev.brigade.files;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code Cache-Control} values chosen by path pattern, first match wins. Patterns are globs over
 * the path relative to the mount ({@code assets/app.css}): {@code *} matches within a segment,
 * {@code **} across segments, {@code ?} one character; a pattern without {@code /} matches the
 * file name alone, as in {@code .gitignore} ({@code *.html} matches {@code a/b/index.html}).
 *
 * <pre>{@code
 * CacheControlRules.none().add("assets/**", "public, max-age=31536000, immutable").add("*.html", "no-cache")
 * }</pre>
 */
public final class CacheControlRules {

    private record Rule(Pattern pattern, boolean nameOnly, String value) {
    }

    private final List<Rule> rules;

    private CacheControlRules(List<Rule> rules) {
        this.rules = rules;
    }

    /** No rules: no Cache-Control header (clients fall back to the validators). */
    public static CacheControlRules none() {
        return new CacheControlRules(List.of());
    }

    /** Parses {@code pattern=value} (as a command-line flag gives it). */
    public CacheControlRules add(String patternEqualsValue) {
        int eq = patternEqualsValue.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("expected PATTERN=VALUE: " + patternEqualsValue);
        }
        return add(patternEqualsValue.substring(0, eq).trim(), patternEqualsValue.substring(eq + 1).trim());
    }

    /** A copy with one more rule, tried after the existing ones. */
    public CacheControlRules add(String glob, String value) {
        dev.brigade.api.Headers probe = new dev.brigade.api.Headers(1);
        probe.set("Cache-Control", value); // refuses values that could split a response
        List<Rule> r = new ArrayList<>(rules);
        String g = glob.startsWith("/") ? glob.substring(1) : glob;
        r.add(new Rule(Pattern.compile(toRegex(g)), g.indexOf('/') < 0, value));
        return new CacheControlRules(List.copyOf(r));
    }

    /** The value for a relative path, or null. */
    public String valueFor(String relativePath) {
        String name = relativePath.substring(relativePath.lastIndexOf('/') + 1);
        for (Rule rule : rules) {
            if (rule.pattern().matcher(rule.nameOnly() ? name : relativePath).matches()) {
                return rule.value();
            }
        }
        return null;
    }

    static String toRegex(String glob) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                sb.append(".*");
                i++;
            } else if (c == '*') {
                sb.append("[^/]*");
            } else if (c == '?') {
                sb.append("[^/]");
            } else {
                sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return sb.toString();
    }
}
