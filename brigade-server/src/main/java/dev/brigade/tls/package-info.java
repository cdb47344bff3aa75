/**
 * TLS as a connection filter pair over {@link javax.net.ssl.SSLEngine}: decryption on the input
 * chain, encryption on the output chain, both driven by the loop, with certificates chosen by SNI
 * and reloaded when their files change. Uses {@code filter}, {@code buffer} and {@code loop} only.
 */
package dev.brigade.tls;
