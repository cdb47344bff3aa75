package dev.brigade.api;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.BiConsumer;

/**
 * An ordered, case-insensitive multimap of header fields.
 *
 * <p>Names must be tokens and values must not contain CR, LF or NUL: a response header that could
 * split the response is refused where it is set, with an {@link IllegalArgumentException}.
 */
public final class Headers implements Iterable<Headers.Field> {

    /** One header field as sent or received. */
    public record Field(String name, String value) {
    }

    private final ArrayList<String> names;
    private final ArrayList<String> values;

    public Headers() {
        this(8);
    }

    public Headers(int expectedSize) {
        names = new ArrayList<>(expectedSize);
        values = new ArrayList<>(expectedSize);
    }

    /** The first value of the field, or null. */
    public String get(String name) {
        for (int i = 0, n = names.size(); i < n; i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return values.get(i);
            }
        }
        return null;
    }

    /** Every value of the field, in order. */
    public List<String> all(String name) {
        List<String> out = new ArrayList<>(2);
        for (int i = 0, n = names.size(); i < n; i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                out.add(values.get(i));
            }
        }
        return out;
    }

    public boolean contains(String name) {
        return get(name) != null;
    }

    /** Replaces every field of this name with one. */
    public Headers set(String name, String value) {
        checkName(name);
        checkValue(value);
        remove(name);
        names.add(name);
        values.add(value);
        return this;
    }

    /** Adds a field, keeping others of the same name. */
    public Headers add(String name, String value) {
        checkName(name);
        checkValue(value);
        names.add(name);
        values.add(value);
        return this;
    }

    public Headers remove(String name) {
        for (int i = names.size() - 1; i >= 0; i--) {
            if (names.get(i).equalsIgnoreCase(name)) {
                names.remove(i);
                values.remove(i);
            }
        }
        return this;
    }

    public int size() {
        return names.size();
    }

    public boolean isEmpty() {
        return names.isEmpty();
    }

    public String name(int i) {
        return names.get(i);
    }

    public String value(int i) {
        return values.get(i);
    }

    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0, n = names.size(); i < n; i++) {
            action.accept(names.get(i), values.get(i));
        }
    }

    @Override
    public Iterator<Field> iterator() {
        return new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < names.size();
            }

            @Override
            public Field next() {
                if (i >= names.size()) {
                    throw new NoSuchElementException();
                }
                Field f = new Field(names.get(i), values.get(i));
                i++;
                return f;
            }
        };
    }

    /** True if a comma-separated field of this name holds the token (case-insensitive). */
    public boolean hasToken(String name, String token) {
        for (int i = 0, n = names.size(); i < n; i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                for (String part : values.get(i).split(",")) {
                    if (part.trim().equalsIgnoreCase(token)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                throw new IllegalArgumentException("invalid character in header name: " + name);
            }
        }
    }

    static void checkValue(String value) {
        if (value == null) {
            throw new IllegalArgumentException("null header value");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < ' ' && c != '\t') || c == 0x7f || c > 0xff) {
                throw new IllegalArgumentException("invalid character 0x" + Integer.toHexString(c)
                        + " in header value (response splitting?)");
            }
        }
    }

    @Override
    public String toString() {
        var sb = new StringBuilder();
        forEach((n, v) -> sb.append(n).append(": ").append(v).append('\n'));
        return sb.toString();
    }
}
