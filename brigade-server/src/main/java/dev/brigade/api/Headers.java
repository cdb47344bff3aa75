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

    private static final String[] NONE = new String[0];

    // name, value, name, value, ...: one array, allocated on the first field (most responses have a few)
    private String[] fields = NONE;
    private int size;
    private final int expectedSize;

    public Headers() {
        this(8);
    }

    public Headers(int expectedSize) {
        this.expectedSize = Math.max(1, expectedSize);
    }

    /** The first value of the field, or null. */
    public String get(String name) {
        for (int i = 0; i < size; i++) {
            if (fields[2 * i].equalsIgnoreCase(name)) {
                return fields[2 * i + 1];
            }
        }
        return null;
    }

    /** Every value of the field, in order. */
    public List<String> all(String name) {
        List<String> out = new ArrayList<>(2);
        for (int i = 0; i < size; i++) {
            if (fields[2 * i].equalsIgnoreCase(name)) {
                out.add(fields[2 * i + 1]);
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
        append(name, value);
        return this;
    }

    /** Adds a field, keeping others of the same name. */
    public Headers add(String name, String value) {
        checkName(name);
        checkValue(value);
        append(name, value);
        return this;
    }

    private void append(String name, String value) {
        if (2 * size == fields.length) {
            fields = java.util.Arrays.copyOf(fields, fields.length == 0 ? 2 * expectedSize : 2 * fields.length);
        }
        fields[2 * size] = name;
        fields[2 * size + 1] = value;
        size++;
    }

    public Headers remove(String name) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (!fields[2 * i].equalsIgnoreCase(name)) {
                fields[2 * kept] = fields[2 * i];
                fields[2 * kept + 1] = fields[2 * i + 1];
                kept++;
            }
        }
        java.util.Arrays.fill(fields, 2 * kept, 2 * size, null);
        size = kept;
        return this;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public String name(int i) {
        java.util.Objects.checkIndex(i, size);
        return fields[2 * i];
    }

    public String value(int i) {
        java.util.Objects.checkIndex(i, size);
        return fields[2 * i + 1];
    }

    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < size; i++) {
            action.accept(fields[2 * i], fields[2 * i + 1]);
        }
    }

    @Override
    public Iterator<Field> iterator() {
        return new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < size;
            }

            @Override
            public Field next() {
                if (i >= size) {
                    throw new NoSuchElementException();
                }
                Field f = new Field(fields[2 * i], fields[2 * i + 1]);
                i++;
                return f;
            }
        };
    }

    /** True if a comma-separated field of this name holds the token (case-insensitive). */
    public boolean hasToken(String name, String token) {
        for (int i = 0; i < size; i++) {
            if (fields[2 * i].equalsIgnoreCase(name)) {
                for (String part : fields[2 * i + 1].split(",")) {
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
