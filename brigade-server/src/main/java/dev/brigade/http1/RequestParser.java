package dev.brigade.http1;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The incremental request-head parser: bytes in, a checked {@link RequestHead} or a
 * {@link ParseError} out. Pure: no I/O, threads, clocks or logging, so every rule is a unit test.
 *
 * <p>Use, one instance per connection:
 * <ol>
 *   <li>{@link #parse} with the bytes received so far. It consumes only complete CRLF-terminated
 *       lines and keeps its state between lines, never inside one.</li>
 *   <li>{@link Result#NEED_MORE}: {@code in.position()} is at the start of the first incomplete
 *       line. Keep the bytes from there to the limit and call again with them followed by more.
 *       A buffer of {@code max(requestLineBytesMax, fieldBytesMax) + 2} bytes always suffices:
 *       a line longer than its limit is an error as soon as its first excess byte is seen.</li>
 *   <li>{@link Result#HEAD_DONE}: {@link #head()} is the request; {@code in.position()} is just past
 *       the CRLF of the empty line ending the head. What follows (body, pipelined request) is
 *       untouched.</li>
 *   <li>{@link Result#ERROR}: {@link #error()} says what to answer; close the connection after,
 *       since the framing of anything that follows is unknown. The position is at the start of
 *       the line that was rejected.</li>
 *   <li>{@link #reset()} before the next request on the same connection.</li>
 * </ol>
 * After HEAD_DONE or ERROR, further calls return the same result and consume nothing until
 * {@link #reset()}.
 *
 * <p>States: {@code REQUEST_LINE} (entered at construction and by reset; leading empty lines are
 * skipped here), {@code FIELDS} (after a valid request line), then {@code DONE} (after the empty
 * line and the checks of {@link HeadRules}) or {@code FAILED} (from any line). Timeouts belong
 * to the caller, which can use {@link #bytesConsumed()} to enforce a minimum rate.
 *
 * <p>Request-line rules (RFC 9112 §3): {@code method SP request-target SP HTTP-version}, single
 * spaces; method is a token; target is visible ASCII in one of the four forms; the version must
 * match {@code HTTP-version = "HTTP/" DIGIT "." DIGIT} (case-sensitive, §2.3) or the line is a 400;
 * a well-formed version with a major other than 1 is a 505, and {@code HTTP/1.x} with x above 1
 * is served as 1.1 (RFC 9110 §2.5). Field rules are in {@link FieldLines}, whole-head rules in {@link HeadRules}.
 */
public final class RequestParser {

    /** What a call to {@link #parse} achieved. */
    public enum Result { NEED_MORE, HEAD_DONE, ERROR }

    private enum State { REQUEST_LINE, FIELDS, DONE, FAILED }

    /** Empty lines skipped before a request line (RFC 9112 §2.2 asks for at least one). */
    static final int EMPTY_LINES_MAX = 8;

    static final ParseError BARE_CR = new ParseError(400, "CR not followed by LF");
    static final ParseError BARE_LF = new ParseError(400, "line ending in bare LF");
    static final ParseError URI_TOO_LONG = new ParseError(414, "request line too long");
    static final ParseError FIELD_TOO_LONG = new ParseError(431, "field line too long");
    static final ParseError TOO_MANY_FIELDS = new ParseError(431, "too many header fields");
    static final ParseError HEAD_TOO_LARGE = new ParseError(431, "request head too large");
    static final ParseError TOO_MANY_EMPTY_LINES = new ParseError(400, "too many empty lines before request line");
    static final ParseError BAD_METHOD = new ParseError(400, "invalid method");
    static final ParseError BAD_TARGET = new ParseError(400, "invalid request-target");
    static final ParseError NO_VERSION = new ParseError(400, "request line without HTTP version");
    static final ParseError BAD_SEPARATOR = new ParseError(400, "request line parts not separated by one SP");
    static final ParseError BAD_VERSION_BYTE = new ParseError(400, "control or non-ASCII byte in HTTP version");
    static final ParseError BAD_VERSION = new ParseError(505, "HTTP version not supported");
    static final ParseError MALFORMED_VERSION = new ParseError(400, "malformed HTTP version (HTTP/DIGIT.DIGIT)");

    private final Limits limits;
    private final LineReader lines = new LineReader();
    private final HeadRules rules;

    private State state = State.REQUEST_LINE;
    private int emptyLines;
    private int bytesConsumed;
    private String method;
    private String target;
    private String targetAuthority;
    private HttpVersion version;
    private HeaderFields fields;
    private RequestHead head;
    private ParseError error;

    public RequestParser(Limits limits) {
        this.limits = limits;
        this.rules = new HeadRules(limits);
    }

    /** Parses complete lines from {@code in}; see the class javadoc for the buffer contract. */
    public Result parse(ByteBuffer in) {
        while (state == State.REQUEST_LINE || state == State.FIELDS) {
            boolean requestLine = state == State.REQUEST_LINE;
            int length = lines.next(in, requestLine ? limits.requestLineBytesMax() : limits.fieldBytesMax());
            if (length == LineReader.NEED_MORE) {
                // counted as bytes arrive: the incomplete line is all that remains in the buffer
                if (bytesConsumed + (long) in.remaining() > limits.headBytesMax()) {
                    return fail(HEAD_TOO_LARGE);
                }
                return Result.NEED_MORE;
            }
            ParseError e;
            if (length >= 0 && bytesConsumed + length + 2 > limits.headBytesMax()) {
                e = HEAD_TOO_LARGE;
            } else if (length < 0) {
                e = lineError(length, requestLine);
            } else {
                e = requestLine ? onRequestLine(lines.line(), length) : onFieldLine(lines.line(), length);
            }
            if (e != null) {
                return fail(e);
            }
            in.position(in.position() + length + 2);
            bytesConsumed += length + 2;
        }
        return state == State.DONE ? Result.HEAD_DONE : Result.ERROR;
    }

    private Result fail(ParseError e) {
        error = e;
        state = State.FAILED;
        return Result.ERROR;
    }

    /** The parsed head after {@link Result#HEAD_DONE}, else null. */
    public RequestHead head() {
        return head;
    }

    /** Why the request was rejected after {@link Result#ERROR}, else null. */
    public ParseError error() {
        return error;
    }

    /** Bytes of the current head consumed so far (complete lines only, empty lines included). */
    public int bytesConsumed() {
        return bytesConsumed;
    }

    /** Forgets the current request; the next {@link #parse} starts a new head. */
    public void reset() {
        state = State.REQUEST_LINE;
        emptyLines = 0;
        bytesConsumed = 0;
        lines.reset();
        method = null;
        target = null;
        targetAuthority = null;
        version = null;
        fields = null;
        head = null;
        error = null;
    }

    private static ParseError lineError(int code, boolean requestLine) {
        if (code == LineReader.TOO_LONG) {
            return requestLine ? URI_TOO_LONG : FIELD_TOO_LONG;
        }
        return code == LineReader.BARE_CR ? BARE_CR : BARE_LF;
    }

    private ParseError onRequestLine(byte[] line, int length) {
        if (length == 0) {
            return ++emptyLines > EMPTY_LINES_MAX ? TOO_MANY_EMPTY_LINES : null;
        }
        int methodEnd = 0;
        while (methodEnd < length && Tokens.isTchar(line[methodEnd])) {
            methodEnd++;
        }
        if (methodEnd == length) {
            return NO_VERSION; // a bare token: nothing else on the line
        }
        if (methodEnd == 0 || line[methodEnd] != Tokens.SP) {
            return separatorOr(line[methodEnd], BAD_METHOD);
        }
        int targetStart = methodEnd + 1;
        int targetEnd = targetStart;
        while (targetEnd < length && line[targetEnd] != Tokens.SP) {
            if (!Tokens.isVchar(line[targetEnd])) {
                return separatorOr(line[targetEnd], BAD_TARGET);
            }
            targetEnd++;
        }
        if (targetEnd == targetStart) {
            return BAD_SEPARATOR;
        }
        if (targetEnd == length) {
            return NO_VERSION; // HTTP/0.9's "GET /path": not supported
        }
        ParseError e = parseVersion(line, targetEnd + 1, length);
        if (e != null) {
            return e;
        }
        method = CommonStrings.method(line, 0, methodEnd);
        target = new String(line, targetStart, targetEnd - targetStart, StandardCharsets.ISO_8859_1);
        e = checkTargetForm();
        if (e != null) {
            return e;
        }
        fields = new HeaderFields();
        state = State.FIELDS;
        return null;
    }

    /** Whitespace where a single SP was due is a framing error; anything else is {@code otherwise}. */
    private static ParseError separatorOr(byte b, ParseError otherwise) {
        return Tokens.isOws(b) ? BAD_SEPARATOR : otherwise;
    }

    /**
     * {@code HTTP/1.0} and {@code HTTP/1.1}, and {@code HTTP/1.x} as 1.1. Text that is not
     * {@code HTTP/} DIGIT {@code .} DIGIT is a malformed line (400); a well-formed version of
     * another major ({@code HTTP/2.0}, {@code HTTP/0.9}) is one we do not implement (505).
     */
    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private ParseError parseVersion(byte[] line, int from, int to) {
        if (from == to) {
            return BAD_SEPARATOR; // "GET / " with nothing after the second space
        }
        for (int i = from; i < to; i++) {
            if (!Tokens.isVchar(line[i])) {
                return Tokens.isOws(line[i]) ? BAD_SEPARATOR : BAD_VERSION_BYTE;
            }
        }
        if (to - from != 8 || line[from] != 'H' || line[from + 1] != 'T' || line[from + 2] != 'T'
                || line[from + 3] != 'P' || line[from + 4] != '/' || !isDigit(line[from + 5])
                || line[from + 6] != '.' || !isDigit(line[from + 7])) {
            return MALFORMED_VERSION;
        }
        if (line[from + 5] != '1') {
            return BAD_VERSION;
        }
        version = line[from + 7] == '0' ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
        return null;
    }

    /**
     * RFC 9112 §3.2: origin-form for ordinary requests, absolute-form (http/https only), asterisk-
     * form only for OPTIONS, authority-form only and always for CONNECT. Sets the target's
     * authority, if it has one.
     */
    private ParseError checkTargetForm() {
        boolean connect = method.equals("CONNECT");
        if (connect) {
            targetAuthority = target;
            return isAuthorityForm(target) ? null : BAD_TARGET;
        }
        char first = target.charAt(0);
        if (first == '/') {
            return null;
        }
        if (first == '*') {
            return target.length() == 1 && method.equals("OPTIONS") ? null : BAD_TARGET;
        }
        int authorityStart = schemeEnd(target);
        if (authorityStart < 0) {
            return BAD_TARGET;
        }
        int authorityEnd = authorityStart;
        while (authorityEnd < target.length() && "/?#".indexOf(target.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        // RFC 9110 §4.2.1: an http(s) URI with an empty host is invalid; §4.2.4: userinfo ("@")
        // is treated as an error, being a known way to disguise the authority.
        String authority = target.substring(authorityStart, authorityEnd);
        if (authority.isEmpty() || !HeadRules.isHostValue(authority)) {
            return BAD_TARGET;
        }
        targetAuthority = authority;
        return null;
    }

    /** The index after {@code http://} or {@code https://} (scheme in any case), or -1. */
    private static int schemeEnd(String target) {
        if (target.length() > 7 && Tokens.equalsLowerAscii(target, 0, 7, "http://")) {
            return 7;
        }
        if (target.length() > 8 && Tokens.equalsLowerAscii(target, 0, 8, "https://")) {
            return 8;
        }
        return -1;
    }

    /** {@code uri-host ":" port} with a non-empty host and 1*DIGIT port (RFC 9112 §3.2.3). */
    private static boolean isAuthorityForm(String target) {
        int colon = target.lastIndexOf(':');
        if (colon <= 0 || colon == target.length() - 1) {
            return false;
        }
        for (int i = colon + 1; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return HeadRules.isHostValue(target.substring(0, colon));
    }

    private ParseError onFieldLine(byte[] line, int length) {
        if (length == 0) {
            return finishHead();
        }
        if (fields.size() >= limits.fieldCountMax()) {
            return TOO_MANY_FIELDS;
        }
        return FieldLines.parse(line, length, fields);
    }

    private ParseError finishHead() {
        ParseError e = rules.apply(version, fields, targetAuthority);
        if (e != null) {
            return e;
        }
        head = new RequestHead(method, target, version, fields, rules.framing, rules.keepAlive,
                rules.expectContinue, rules.host);
        state = State.DONE;
        return null;
    }
}
