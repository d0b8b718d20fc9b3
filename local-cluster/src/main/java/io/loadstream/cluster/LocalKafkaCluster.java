package io.loadstream.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka cluster in KRaft mode (one process acting as broker and controller),
 * started in this JVM on free loopback ports with its data in a temporary directory. It is what the
 * demo and the tests run on.
 *
 * <pre>{@code
 * try (LocalKafkaCluster kafka = LocalKafkaCluster.start()) {
 *     String bootstrap = kafka.bootstrapServers(); // 127.0.0.1:<port>
 * }
 * }</pre>
 *
 * <p>The broker can be stopped and started again on the same ports and data, to test what clients
 * do while Kafka is away. {@link #close()} stops it and deletes its data.
 */
public final class LocalKafkaCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalKafkaCluster.class);
    private static final int NODE_ID = 1;
    private static final int START_ATTEMPTS = 3;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final Path dataDir;
    private final int brokerPort;
    private final Properties config;
    private KafkaRaftServer server;

    private LocalKafkaCluster(Path dataDir, int brokerPort, int controllerPort) {
        this.dataDir = dataDir;
        this.brokerPort = brokerPort;
        this.config = brokerConfig(dataDir.resolve("log"), brokerPort, controllerPort);
    }

    /**
     * Formats storage in a new temporary directory and starts the broker. Its ports are free when
     * picked, but another process may take one before the broker binds it: then it starts again on
     * other ports, a few times.
     */
    public static LocalKafkaCluster start() {
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnFreePorts();
            } catch (RuntimeException e) {
                if (attempt == START_ATTEMPTS || !portTaken(e)) {
                    throw e;
                }
                log.warn("a port of the local broker was taken before it bound it; retrying");
            }
        }
    }

    private static LocalKafkaCluster startOnFreePorts() {
        Path dir;
        try {
            dir = Files.createTempDirectory("loadstream-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for Kafka's data", e);
        }
        LocalKafkaCluster cluster = new LocalKafkaCluster(dir, freePort(), freePort());
        try {
            cluster.format();
            cluster.startBroker();
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /**
     * Starts the broker on the given loopback ports with its data in {@code dataDir}, formatting
     * the storage first unless it already holds a formatted one: what a broker in a child JVM does
     * ({@link BrokerProcessMain}) the first time and again after it was killed. {@link #close()}
     * deletes {@code dataDir}.
     *
     * @param overrides broker settings that replace this class's
     */
    public static LocalKafkaCluster startIn(
            Path dataDir, int brokerPort, int controllerPort, Map<String, String> overrides) {
        LocalKafkaCluster cluster = new LocalKafkaCluster(dataDir, brokerPort, controllerPort);
        cluster.config.putAll(overrides);
        if (!Files.exists(dataDir.resolve("log").resolve("meta.properties"))) {
            cluster.format();
        }
        cluster.startBroker();
        return cluster;
    }

    private static boolean portTaken(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException
                    || String.valueOf(cause.getMessage()).contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    /** The bootstrap servers of the broker, {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /** Starts the broker again after {@link #stopBroker()}, on the same port and data. */
    public synchronized void startBroker() {
        if (server != null) {
            return;
        }
        long started = System.nanoTime();
        KafkaRaftServer starting = new KafkaRaftServer(new KafkaConfig(config, false), Time.SYSTEM);
        starting.startup();
        server = starting;
        awaitReady();
        log.info(
                "Kafka {} (KRaft, broker and controller) started on {} in {} ms, data in {}",
                AppInfoParser.getVersion(),
                bootstrapServers(),
                Duration.ofNanos(System.nanoTime() - started).toMillis(),
                dataDir);
    }

    /** Stops the broker, keeping its data, as a broker outage would. */
    public synchronized void stopBroker() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
        log.info("Kafka broker on {} stopped", bootstrapServers());
    }

    /** Whether the broker is running. */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Stops the broker and deletes its data. */
    @Override
    public void close() {
        try {
            stopBroker();
        } finally {
            deleteRecursively(dataDir);
        }
    }

    private void format() {
        String logDir = config.getProperty("log.dirs");
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setNodeId(NODE_ID)
                    .addDirectory(logDir)
                    .setMetadataLogDirectory(logDir)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka storage in " + logDir, e);
        }
    }

    private void awaitReady() {
        Map<String, Object> adminConfig =
                Map.of(
                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers(),
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                        30_000);
        try (Admin admin = Admin.create(adminConfig)) {
            admin.describeCluster().nodes().get();
        } catch (Exception e) {
            throw new IllegalStateException(
                    "Kafka broker on " + bootstrapServers() + " did not become ready", e);
        }
    }

    private static Properties brokerConfig(Path logDir, int brokerPort, int controllerPort) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        props.put(
                "listeners",
                "PLAINTEXT://127.0.0.1:"
                        + brokerPort
                        + ",CONTROLLER://127.0.0.1:"
                        + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        // one node: every internal topic has one replica
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "6");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "6");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // topics are created explicitly, with the cleanup policy they need
        props.put("auto.create.topics.enable", "false");
        // sized for a laptop or a 2-core CI machine rather than a production broker
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "4");
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        props.put("log.cleaner.backoff.ms", "1000");
        return props;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try {
            Utils.delete(dir.toFile());
        } catch (IOException e) {
            log.warn("could not delete Kafka data in {}: {}", dir, e.getMessage());
        }
    }
}
