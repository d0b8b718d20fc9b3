package io.loadstream.cli;

import io.loadstream.producers.metrics.MetricsAddress;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options of the commands that serve their metrics as Prometheus text. */
public final class MetricsOptions {

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            description =
                    "Serve this process's metrics as Prometheus text on this port (/metrics); 0"
                            + " picks a free one.")
    Integer port;

    @Option(
            names = "--metrics-host",
            paramLabel = "HOST",
            defaultValue = "127.0.0.1",
            description = "Address of the metrics endpoint (default: ${DEFAULT-VALUE}).")
    String host;

    /** Where to serve the metrics, or empty when no port is given. */
    Optional<MetricsAddress> address() {
        return port == null ? Optional.empty() : Optional.of(new MetricsAddress(host, port));
    }
}
