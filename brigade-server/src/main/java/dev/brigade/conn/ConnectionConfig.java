package dev.brigade.conn;

import dev.brigade.http1.Limits;
import java.time.Duration;

/**
 * Timeouts and limits of connections, with httpd's defaults (seeds-spec §7).
 *
 * @param headerTimeout time to receive a request head at first (mod_reqtimeout header=20)
 * @param headerTimeoutMax the most the header timeout grows to with received bytes (40)
 * @param headerMinRateBytesPerSecond each this many bytes of head extend the header timeout by 1 s (500)
 * @param bodyTimeout time to receive a body at first (20)
 * @param bodyMinRateBytesPerSecond each this many bytes of body extend the body timeout by 1 s (500)
 * @param keepAliveTimeout idle time between requests before closing (5 s)
 * @param keepAliveRequestsMax requests served on one connection before it is closed (100)
 * @param writeTimeout time without write progress before giving up on a reader (60 s)
 * @param lingerTimeout time to drain a peer after our last response (30 s)
 * @param shortLingerTimeout the same after errors, timeouts and during shutdown (2 s)
 * @param readBufferBytes size of the pooled read buffer; must hold the longest line allowed
 * @param limits the parser's size limits
 * @param bodyAggregateBytesMax largest body {@code Request.body()} collects into memory (1 MiB, nginx's
 *                              {@code client_max_body_size}; beyond: 413); bodies read piece by piece
 *                              are held to {@code limits.bodyBytesMax()} only
 * @param outputHighWaterBytes memory a connection's output filters may hold set aside (buffer capacities)
 *                             before it stops taking more: pipelined requests wait, filters yield, and
 *                             a streamed body's writer waits (64 KiB, httpd's FlushMaxThreshold)
 * @param outputLowWaterBytes the level it must fall to before it takes more again (32 KiB)
 * @param pipelinedResponsesMax complete responses queued for a pipelining client before its next
 *                              requests wait and the queue is flushed (16: a pipelined batch of 16 leaves
 *                              in one write, as Netty's flush per read; httpd's FlushMaxPipelined is 4,
 *                              which made four writes of such a batch; the bytes are bounded by the
 *                              high-water mark either way, this bounds the buckets and open files)
 * @param bodyDiscardBytesMax most bytes of an unread request body discarded after its response to keep
 *                            the connection (1 MiB; Tomcat's {@code maxSwallowSize} is 2 MiB); a longer
 *                            body ends the connection after the response instead
 */
public record ConnectionConfig(
        Duration headerTimeout,
        Duration headerTimeoutMax,
        int headerMinRateBytesPerSecond,
        Duration bodyTimeout,
        int bodyMinRateBytesPerSecond,
        Duration keepAliveTimeout,
        int keepAliveRequestsMax,
        Duration writeTimeout,
        Duration lingerTimeout,
        Duration shortLingerTimeout,
        int readBufferBytes,
        Limits limits,
        long bodyAggregateBytesMax,
        long bodyDiscardBytesMax,
        long outputHighWaterBytes,
        long outputLowWaterBytes,
        int pipelinedResponsesMax) {

    public static final ConnectionConfig DEFAULT = new ConnectionConfig(
            Duration.ofSeconds(20), Duration.ofSeconds(40), 500,
            Duration.ofSeconds(20), 500,
            Duration.ofSeconds(5), 100,
            Duration.ofSeconds(60),
            Duration.ofSeconds(30), Duration.ofSeconds(2),
            16 * 1024, Limits.DEFAULT, 1 << 20, 1 << 20, 64 * 1024, 32 * 1024, 16);

    public ConnectionConfig {
        int longestLine = Math.max(limits.requestLineBytesMax(), limits.fieldBytesMax()) + 2;
        if (readBufferBytes < longestLine) {
            throw new IllegalArgumentException("read buffer of " + readBufferBytes
                    + " B cannot hold a line of " + longestLine + " B");
        }
        if (outputLowWaterBytes < 0 || outputLowWaterBytes > outputHighWaterBytes || pipelinedResponsesMax < 1) {
            throw new IllegalArgumentException("output water marks must be 0 <= low <= high, pipelined responses >= 1");
        }
        if (bodyAggregateBytesMax < 0 || bodyDiscardBytesMax < 0) {
            throw new IllegalArgumentException("body limits must not be negative");
        }
        if (keepAliveRequestsMax < 1 || headerMinRateBytesPerSecond < 1 || bodyMinRateBytesPerSecond < 1) {
            throw new IllegalArgumentException("keep-alive requests and minimum rates must be positive");
        }
    }

    public ConnectionConfig withHeaderTimeout(Duration base, Duration max) {
        return new ConnectionConfig(base, max, headerMinRateBytesPerSecond, bodyTimeout, bodyMinRateBytesPerSecond,
                keepAliveTimeout, keepAliveRequestsMax, writeTimeout, lingerTimeout, shortLingerTimeout,
                readBufferBytes, limits, bodyAggregateBytesMax, bodyDiscardBytesMax, outputHighWaterBytes,
                outputLowWaterBytes, pipelinedResponsesMax);
    }

    public ConnectionConfig withBodyTimeout(Duration timeout) {
        return new ConnectionConfig(headerTimeout, headerTimeoutMax, headerMinRateBytesPerSecond, timeout,
                bodyMinRateBytesPerSecond, keepAliveTimeout, keepAliveRequestsMax, writeTimeout, lingerTimeout,
                shortLingerTimeout, readBufferBytes, limits, bodyAggregateBytesMax, bodyDiscardBytesMax, outputHighWaterBytes,
                outputLowWaterBytes, pipelinedResponsesMax);
    }

    public ConnectionConfig withKeepAlive(Duration timeout, int requestsMax) {
        return new ConnectionConfig(headerTimeout, headerTimeoutMax, headerMinRateBytesPerSecond, bodyTimeout,
                bodyMinRateBytesPerSecond, timeout, requestsMax, writeTimeout, lingerTimeout, shortLingerTimeout,
                readBufferBytes, limits, bodyAggregateBytesMax, bodyDiscardBytesMax, outputHighWaterBytes,
                outputLowWaterBytes, pipelinedResponsesMax);
    }

    public ConnectionConfig withWriteTimeout(Duration timeout) {
        return new ConnectionConfig(headerTimeout, headerTimeoutMax, headerMinRateBytesPerSecond, bodyTimeout,
                bodyMinRateBytesPerSecond, keepAliveTimeout, keepAliveRequestsMax, timeout, lingerTimeout,
                shortLingerTimeout, readBufferBytes, limits, bodyAggregateBytesMax, bodyDiscardBytesMax, outputHighWaterBytes,
                outputLowWaterBytes, pipelinedResponsesMax);
    }

    public ConnectionConfig withLinger(Duration normal, Duration short_) {
        return new ConnectionConfig(headerTimeout, headerTimeoutMax, headerMinRateBytesPerSecond, bodyTimeout,
                bodyMinRateBytesPerSecond, keepAliveTimeout, keepAliveRequestsMax, writeTimeout, normal, short_,
                readBufferBytes, limits, bodyAggregateBytesMax, bodyDiscardBytesMax, outputHighWaterBytes,
                outputLowWaterBytes, pipelinedResponsesMax);
    }

    public ConnectionConfig withLimits(Limits newLimits) {
        return new ConnectionConfig(headerTimeout, headerTimeoutMax, headerMinRateBytesPerSecond, bodyTimeout,
                bodyMinRateBytesPerSecond, keepAliveTimeout, keepAliveRequestsMax, writeTimeout, lingerTimeout,
                shortLingerTimeout, readBufferBytes, newLimits, bodyAggregateBytesMax, bodyDiscardBytesMax, outputHighWaterBytes,
                outputLowWaterBytes, pipelinedResponsesMax);
    }

    public ConnectionConfig withBodyHandling(long aggregateBytesMax, long discardBytesMax) {
        return new ConnectionConfig(headerTimeout, headerTimeoutMax, headerMinRateBytesPerSecond, bodyTimeout,
                bodyMinRateBytesPerSecond, keepAliveTimeout, keepAliveRequestsMax, writeTimeout, lingerTimeout,
                shortLingerTimeout, readBufferBytes, limits, aggregateBytesMax, discardBytesMax, outputHighWaterBytes,
                outputLowWaterBytes, pipelinedResponsesMax);
    }

    public ConnectionConfig withOutputBudget(long highWaterBytes, long lowWaterBytes, int pipelinedMax) {
        return new ConnectionConfig(headerTimeout, headerTimeoutMax, headerMinRateBytesPerSecond, bodyTimeout,
                bodyMinRateBytesPerSecond, keepAliveTimeout, keepAliveRequestsMax, writeTimeout, lingerTimeout,
                shortLingerTimeout, readBufferBytes, limits, bodyAggregateBytesMax, bodyDiscardBytesMax,
                highWaterBytes, lowWaterBytes, pipelinedMax);
    }
}
