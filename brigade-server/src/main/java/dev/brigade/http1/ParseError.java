package dev.brigade.http1;

/**
 * Why a request was rejected: the status to answer (400, 413, 414, 431, 501 or 505) and a short
 * reason naming the rule that was broken. After a parse error the connection must be closed: the
 * framing of whatever follows is unknown.
 */
public record ParseError(int status, String reason) {
}
