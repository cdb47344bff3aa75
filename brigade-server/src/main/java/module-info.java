/**
 * Brigade: an event-driven HTTP/1.1 server. Only the handler API, the filter SPI, the bridges and
 * the server itself are exported; connections, loops, the parser and buffers are internal.
 */
module dev.brigade.server {
    // HeapReturn: G1's manageable flags, set from inside the process; optional (HeapReturn says why)
    requires static jdk.management;

    exports dev.brigade.api;
    exports dev.brigade.filter;
    exports dev.brigade.dispatch;
    exports dev.brigade.server;
    exports dev.brigade.files;
    exports dev.brigade.tls;
}
