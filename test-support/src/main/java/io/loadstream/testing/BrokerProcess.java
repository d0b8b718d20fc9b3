package io.loadstream.testing;

import static org.awaitility.Awaitility.await;

import io.loadstream.cluster.BrokerProcessMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.Utils;

/**
 * A single-node Kafka broker in a child JVM ({@link BrokerProcessMain}), for tests about what
 * clients do when the broker's process dies: {@link #kill()} is {@code kill -9}, without a clean
 * shutdown, and {@link #restart()} starts a new process on the same ports and data, as a supervisor
 * restarting a crashed broker would.
 *
 * <pre>{@code
 * try (BrokerProcess broker = BrokerProcess.start()) {
 *     String bootstrap = broker.bootstrapServers();
 *     broker.kill();
 *     broker.restart();
 * }
 * }</pre>
 */
public final class BrokerProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final int START_ATTEMPTS = 3;

    private final Path dataDir;
    private final int brokerPort;
    private final int controllerPort;
    private Process process;
    private int launches;

    private BrokerProcess(Path dataDir, int brokerPort, int controllerPort) {
        this.dataDir = dataDir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
    }

    /**
     * Starts a broker in a child JVM on free loopback ports, with its data in a new temporary
     * directory; on other ports again when one was taken before the broker bound it.
     */
    public static BrokerProcess start() {
        for (int attempt = 1; ; attempt++) {
            BrokerProcess broker;
            try {
                broker =
                        new BrokerProcess(
                                Files.createTempDirectory("loadstream-broker-"),
                                freePort(),
                                freePort());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a directory for Kafka's data", e);
            }
            try {
                broker.launch();
                return broker;
            } catch (IllegalStateException e) {
                broker.close();
                if (attempt == START_ATTEMPTS || !e.getMessage().contains("already in use")) {
                    throw e;
                }
            }
        }
    }

    /** The broker's bootstrap servers, {@code 127.0.0.1:<port>}, the same after a restart. */
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /** Kills the broker's process with SIGKILL and waits until it is gone. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing the broker", e);
        }
        process = null;
    }

    /**
     * Starts a new broker process on the same ports and data after {@link #kill()}, and waits until
     * it serves. A port the dead process held may take a moment to free: it tries a few times.
     */
    public synchronized void restart() {
        if (process != null) {
            throw new IllegalStateException("the broker on " + bootstrapServers() + " is running");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                launch();
                return;
            } catch (IllegalStateException e) {
                if (attempt == START_ATTEMPTS || !e.getMessage().contains("already in use")) {
                    throw e;
                }
            }
        }
    }

    /** Whether the broker's process is alive. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Kills the broker and deletes its data. */
    @Override
    public void close() {
        try {
            kill();
        } finally {
            try {
                Utils.delete(dataDir.toFile());
            } catch (IOException e) {
                // a temporary directory: left for the system to clean
            }
        }
    }

    private synchronized void launch() {
        Path log = dataDir.resolve("broker-" + ++launches + ".log");
        List<String> command =
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx384m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        classPath(),
                        BrokerProcessMain.class.getName(),
                        dataDir.resolve("kafka").toString(),
                        String.valueOf(brokerPort),
                        String.valueOf(controllerPort));
        try {
            process =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a JVM for the broker", e);
        }
        Process started = process;
        try {
            await().atMost(READY_TIMEOUT)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> !started.isAlive() || ready(log));
        } catch (RuntimeException e) {
            started.destroyForcibly();
            process = null;
            throw new IllegalStateException(
                    "the broker process did not serve within " + READY_TIMEOUT + ": " + tail(log),
                    e);
        }
        if (!started.isAlive()) {
            process = null;
            throw new IllegalStateException(
                    "the broker process on "
                            + bootstrapServers()
                            + " exited with "
                            + started.exitValue()
                            + ": "
                            + tail(log));
        }
    }

    /**
     * The test JVM's class path. Surefire and Failsafe may start it with a manifest-only jar, and
     * then name the real class path in a property.
     */
    private static String classPath() {
        return System.getProperty(
                "surefire.test.class.path", System.getProperty("java.class.path"));
    }

    private static boolean ready(Path log) throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.anyMatch(line -> line.startsWith(BrokerProcessMain.READY));
        }
    }

    /** The last lines of a launch's output, where a broker that failed says why. */
    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }
}
