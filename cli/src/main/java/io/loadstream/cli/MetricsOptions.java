package io.loadstream.cli;

import io.loadstream.producers.metrics.MetricsAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
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

    /**
     * Where to serve the metrics, checked before the command starts anything: a port out of range
     * is a usage error, and a port that cannot be listened on (another process has it) fails with
     * one line naming the port and the option, rather than a stack trace once Kafka is connected.
     */
    Optional<MetricsAddress> checkedAddress(CommandSpec spec) {
        if (port == null) {
            return Optional.empty();
        }
        MetricsAddress address =
                UsageErrors.parse(spec, "--metrics-port", () -> new MetricsAddress(host, port));
        if (address.port() != 0) {
            checkFree(address);
        }
        return Optional.of(address);
    }

    private static void checkFree(MetricsAddress address) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(address.host(), address.port()));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "--metrics-port "
                            + address.port()
                            + ": cannot listen on "
                            + address.host()
                            + ":"
                            + address.port()
                            + " ("
                            + e.getMessage()
                            + "); another process may be using it: give another port, or 0 for a"
                            + " free one");
        }
    }
}
