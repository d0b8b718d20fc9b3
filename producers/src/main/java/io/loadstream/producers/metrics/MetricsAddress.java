package io.loadstream.producers.metrics;

/**
 * Where a generator serves its metrics as Prometheus text ({@code --metrics-host}, {@code
 * --metrics-port}).
 *
 * @param host the address to listen on, for example {@code 127.0.0.1}
 * @param port the port, or 0 for a free one
 */
public record MetricsAddress(String host, int port) {

    public MetricsAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--metrics-host must not be empty");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(
                    "--metrics-port must be from 0 to 65535, not " + port);
        }
    }
}
