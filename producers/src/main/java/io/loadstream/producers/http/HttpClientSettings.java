package io.loadstream.producers.http;

import java.time.Duration;

/**
 * How {@link HttpDriver} connects.
 *
 * @param maxConnections the most connections open to one host and port at a time, at least 1;
 *     requests beyond them wait for a free one (keep-alive connections are reused)
 * @param http2 speak HTTP/2: with prior knowledge over plain {@code http} (h2c), negotiated by ALPN
 *     over {@code https} (falling back to HTTP/1.1 when the server does not offer h2)
 * @param h2cUpgrade with {@code http2}, reach h2c over plain {@code http} by an HTTP/1.1 {@code
 *     Upgrade} instead of prior knowledge, for servers that may not speak HTTP/2
 * @param trustAll trust any server certificate and skip the host-name check (self-signed test
 *     servers); otherwise the JDK's default trust store is used
 * @param connectTimeout the most a TCP (and TLS) connect may take
 */
public record HttpClientSettings(
        int maxConnections,
        boolean http2,
        boolean h2cUpgrade,
        boolean trustAll,
        Duration connectTimeout) {

    public HttpClientSettings {
        if (maxConnections < 1) {
            throw new IllegalArgumentException(
                    "max connections must be at least 1, not " + maxConnections);
        }
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "connect timeout must be positive, not " + connectTimeout);
        }
    }

    /** HTTP/1.1, at most 64 connections per host, JDK trust, 10 s to connect. */
    public static HttpClientSettings defaults() {
        return new HttpClientSettings(64, false, false, false, Duration.ofSeconds(10));
    }

    /** These settings with at most {@code max} connections per host. */
    public HttpClientSettings withMaxConnections(int max) {
        return new HttpClientSettings(max, http2, h2cUpgrade, trustAll, connectTimeout);
    }

    /** These settings speaking HTTP/2, h2c by prior knowledge or by upgrade. */
    public HttpClientSettings withHttp2(boolean upgrade) {
        return new HttpClientSettings(maxConnections, true, upgrade, trustAll, connectTimeout);
    }

    /** These settings trusting any certificate. */
    public HttpClientSettings withTrustAll() {
        return new HttpClientSettings(maxConnections, http2, h2cUpgrade, true, connectTimeout);
    }
}
