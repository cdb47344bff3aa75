package dev.brigade.http1;


/**
 * Parses one field line (RFC 9112 §5), for the header section and the chunked trailer section
 * alike, so both obey exactly the same rules:
 *
 * <pre>
 *   field-line = field-name ":" OWS field-value OWS
 *   field-name = token                      (no whitespace before the colon: 400)
 *   field-value bytes: HTAB, SP, VCHAR, obs-text; any other CTL, and DEL, is a 400
 * </pre>
 *
 * A line starting with SP or HTAB is obs-fold (or whitespace after the start line), which RFC
 * 9112 §5.2 lets a server reject: we do, since unfolding is one more way for two parsers to
 * disagree about a message.
 */
final class FieldLines {

    static final ParseError OBS_FOLD = new ParseError(400, "obs-fold or whitespace at start of field line");
    static final ParseError NO_COLON = new ParseError(400, "field line without colon");
    static final ParseError EMPTY_NAME = new ParseError(400, "empty field name");
    static final ParseError BAD_NAME = new ParseError(400, "invalid character in field name");
    static final ParseError SPACE_BEFORE_COLON = new ParseError(400, "whitespace between field name and colon");
    static final ParseError BAD_VALUE = new ParseError(400, "control character in field value");

    private FieldLines() {
    }

    /**
     * Parses {@code line[0, length)} (CRLF excluded, non-empty) and appends the field to
     * {@code into}. Returns null on success, else the error; {@code into} is unchanged on error.
     */
    static ParseError parse(byte[] line, int length, HeaderFields into) {
        if (Tokens.isOws(line[0])) {
            return OBS_FOLD;
        }
        int colon = 0;
        while (colon < length && Tokens.isTchar(line[colon])) {
            colon++;
        }
        if (colon == length) {
            return NO_COLON;
        }
        byte stop = line[colon];
        if (stop != ':') {
            if (Tokens.isOws(stop)) {
                return SPACE_BEFORE_COLON;
            }
            return BAD_NAME;
        }
        if (colon == 0) {
            return EMPTY_NAME;
        }
        int from = colon + 1;
        int to = length;
        for (int i = from; i < to; i++) {
            if (!Tokens.isFieldValueByte(line[i])) {
                return BAD_VALUE;
            }
        }
        while (from < to && Tokens.isOws(line[from])) {
            from++;
        }
        while (to > from && Tokens.isOws(line[to - 1])) {
            to--;
        }
        into.add(CommonStrings.fieldName(line, 0, colon), CommonStrings.fieldValue(line, from, to - from));
        return null;
    }
}
