package io.loadstream.consumers.alerts.forward;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Prometheus Alertmanager (Debian's {@code prometheus-alertmanager}) run as a child process
 * on loopback, on a free port, with its own storage folder and a minimal configuration, clustering
 * off. It can be stopped and started again on the same port and storage.
 *
 * <p>Where the binary is missing, a test using it is skipped with a message naming the package to
 * install; on CI ({@code CI=true}) it fails instead, so that CI never passes without it.
 */
final class AlertmanagerProcess implements AutoCloseable {

    /** The Debian package that holds the binary. */
    static final String PACKAGE = "prometheus-alertmanager";

    private static final Path BINARY =
            Path.of(System.getProperty("alertmanager.binary", "/usr/bin/prometheus-alertmanager"));
    private static final String CONFIG =
            """
            route:
              receiver: nowhere
              group_wait: 1s
              group_interval: 1s
              repeat_interval: 1h
            receivers:
              - name: nowhere
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;

    private AlertmanagerProcess(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /**
     * Starts Alertmanager with its files in {@code dir}; skips the test (fails it on CI) when the
     * binary is not installed.
     */
    static AlertmanagerProcess start(Path dir) throws IOException {
        requireBinary();
        Files.writeString(dir.resolve("alertmanager.yml"), CONFIG);
        Files.createDirectories(dir.resolve("data"));
        AlertmanagerProcess alertmanager = new AlertmanagerProcess(dir, freePort());
        alertmanager.start();
        return alertmanager;
    }

    static void requireBinary() {
        if (Files.isExecutable(BINARY)) {
            return;
        }
        String message =
                BINARY
                        + " is missing: install the Debian package "
                        + PACKAGE
                        + " (apt-get install -y "
                        + PACKAGE
                        + ") to run the tests against a real Alertmanager";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message);
        }
        Assumptions.abort(message);
    }

    /** Starts the process (again) on the same port and storage, and waits until it is ready. */
    void start() throws IOException {
        process =
                new ProcessBuilder(
                                BINARY.toString(),
                                "--config.file=" + dir.resolve("alertmanager.yml"),
                                "--storage.path=" + dir.resolve("data"),
                                "--web.listen-address=127.0.0.1:" + port,
                                "--cluster.listen-address=",
                                "--log.level=warn")
                        .redirectErrorStream(true)
                        .redirectOutput(
                                ProcessBuilder.Redirect.appendTo(
                                        dir.resolve("alertmanager.log").toFile()))
                        .start();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(this::ready);
    }

    /** Stops the process (SIGTERM, then SIGKILL) and waits until it is gone. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The alerts that {@code GET /api/v2/alerts} lists for the matcher {@code filter}. */
    List<JsonNode> alerts(String filter) throws IOException, InterruptedException {
        String query = "?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8);
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(url() + "/api/v2/alerts" + query))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "GET /api/v2/alerts: " + response.statusCode() + " " + response.body());
        }
        List<JsonNode> alerts = new ArrayList<>();
        JSON.readTree(response.body()).forEach(alerts::add);
        return alerts;
    }

    /**
     * How many alerts with {@code status} (firing or resolved) this process received since it
     * started: its {@code alertmanager_alerts_received_total} counter.
     */
    long received(String status) throws IOException, InterruptedException {
        String metrics =
                http.send(
                                HttpRequest.newBuilder(URI.create(url() + "/metrics")).build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
        return metrics.lines()
                .filter(line -> line.startsWith("alertmanager_alerts_received_total{"))
                .filter(line -> line.contains("status=\"" + status + "\""))
                .mapToLong(
                        line ->
                                (long)
                                        Double.parseDouble(
                                                line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private boolean ready() {
        if (!process.isAlive()) {
            throw new IllegalStateException(
                    "Alertmanager exited with "
                            + process.exitValue()
                            + "; see "
                            + dir.resolve("alertmanager.log"));
        }
        try {
            return http.send(
                                    HttpRequest.newBuilder(URI.create(url() + "/-/ready")).build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
    }
}
