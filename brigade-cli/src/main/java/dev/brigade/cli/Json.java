package dev.brigade.cli;

/**
 * A minimal JSON writer for the status page's data: objects, arrays, strings, numbers and
 * booleans, with commas placed for the caller. Enough for a document we build ourselves; there is
 * no parser here (the CLI reads no JSON).
 */
final class Json {

    private final StringBuilder out = new StringBuilder();
    private boolean needComma;

    Json beginObject() {
        comma();
        out.append('{');
        needComma = false;
        return this;
    }

    Json endObject() {
        out.append('}');
        needComma = true;
        return this;
    }

    Json beginArray() {
        comma();
        out.append('[');
        needComma = false;
        return this;
    }

    Json endArray() {
        out.append(']');
        needComma = true;
        return this;
    }

    /** A member name; the value follows with the next call. */
    Json name(String name) {
        comma();
        string(name);
        out.append(':');
        needComma = false;
        return this;
    }

    Json value(long n) {
        comma();
        out.append(n);
        needComma = true;
        return this;
    }

    Json value(double d) {
        comma();
        out.append(Double.isFinite(d) ? Double.toString(d) : "null");
        needComma = true;
        return this;
    }

    Json value(boolean b) {
        comma();
        out.append(b);
        needComma = true;
        return this;
    }

    Json value(String s) {
        comma();
        if (s == null) {
            out.append("null");
        } else {
            string(s);
        }
        needComma = true;
        return this;
    }

    Json nullValue() {
        comma();
        out.append("null");
        needComma = true;
        return this;
    }

    private void comma() {
        if (needComma) {
            out.append(',');
            needComma = false;
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
