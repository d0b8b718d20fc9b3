package io.loadstream.cli;

import io.loadstream.cluster.LocalKafkaCluster;
import io.loadstream.cluster.registry.EmbeddedSchemaRegistry;
import io.loadstream.schemas.config.ClientConfig;
import io.loadstream.schemas.registry.SchemaRegistryClient;
import io.loadstream.schemas.registry.SchemaRegistryConfig;
import io.loadstream.schemas.serde.AvroSerdes;
import io.loadstream.schemas.topic.Topics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * What a command needs to reach the pipeline: Kafka client config, a schema registry client, the
 * serdes and the topics. Starts a local Kafka cluster when no bootstrap servers are given (for
 * commands that allow it) and an embedded registry when no registry URL is given, and stops what it
 * started on {@link #close()}.
 */
public final class PipelineConnection implements AutoCloseable {

    private static final int KAFKA_CHECK_TIMEOUT_MS = 15_000;

    /** Bootstrap servers given only to read a config file, never to connect. */
    private static final String UNUSED_BOOTSTRAP = "unused:0";

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final java.util.List<Runnable> onInterrupt =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Thread closeOnExit = new Thread(this::interrupted, "loadstream-shutdown");
    private LocalKafkaCluster localCluster;
    private EmbeddedSchemaRegistry embeddedRegistry;
    private ClientConfig clientConfig;
    private SchemaRegistryClient registry;
    private AvroSerdes serdes;
    private Topics topics;

    private PipelineConnection() {}

    /**
     * Connects as the options say.
     *
     * @param allowLocalCluster start a local cluster when no bootstrap servers are given; when
     *     false, missing bootstrap servers are an error
     */
    public static PipelineConnection open(
            KafkaOptions kafka, RegistryOptions registryOptions, boolean allowLocalCluster) {
        PipelineConnection connection = new PipelineConnection();
        // Ctrl-C still stops the local broker and registry and deletes the broker's data
        Runtime.getRuntime().addShutdownHook(connection.closeOnExit);
        try {
            connection.connect(kafka, registryOptions, allowLocalCluster);
            return connection;
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private void connect(KafkaOptions kafka, RegistryOptions registryOptions, boolean allowLocal) {
        String bootstrap = kafka.bootstrapServers;
        boolean configHasBootstrap = configHasBootstrap(kafka);
        if (bootstrap == null && allowLocal && !configHasBootstrap) {
            Console.info("Starting a local Kafka broker (KRaft) ...");
            localCluster = started(LocalKafkaCluster.start());
            bootstrap = localCluster.bootstrapServers();
            Console.info("Kafka broker ready at " + bootstrap);
        }
        clientConfig = ClientConfig.load(kafka.configFile, bootstrap);
        checkKafka(clientConfig);
        topics = new Topics(kafka.topicPrefix);

        Map<String, Object> registrySettings = new HashMap<>(clientConfig.common());
        if (registryOptions.url != null) {
            registrySettings.put(SchemaRegistryConfig.URL, registryOptions.url);
        }
        if (registrySettings.get(SchemaRegistryConfig.URL) == null) {
            embeddedRegistry =
                    started(
                            EmbeddedSchemaRegistry.start(
                                    clientConfig.common(),
                                    Topics.registryTopic(kafka.topicPrefix)));
            registrySettings.put(SchemaRegistryConfig.URL, embeddedRegistry.url());
            Console.info("Embedded schema registry at " + embeddedRegistry.url());
        }
        registry = new SchemaRegistryClient(SchemaRegistryConfig.fromProperties(registrySettings));
        registry.checkReachable();
        serdes = new AvroSerdes(registry);
    }

    /** Connects to Kafka only, for commands that need no registry. */
    public static ClientConfig kafkaOnly(KafkaOptions kafka) {
        ClientConfig config = ClientConfig.load(kafka.configFile, kafka.bootstrapServers);
        checkKafka(config);
        return config;
    }

    /** Fails with a clear message unless the cluster answers within a bound. */
    public static void checkKafka(ClientConfig config) {
        Map<String, Object> adminConfig = config.admin();
        adminConfig.putIfAbsent(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, KAFKA_CHECK_TIMEOUT_MS);
        adminConfig.putIfAbsent(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, KAFKA_CHECK_TIMEOUT_MS);
        try (Admin admin = Admin.create(adminConfig)) {
            admin.describeCluster().nodes().get(KAFKA_CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to Kafka", e);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot reach Kafka at "
                            + config.bootstrapServers()
                            + " within "
                            + KAFKA_CHECK_TIMEOUT_MS / 1000
                            + " s: is it running, and are --bootstrap-servers and the security"
                            + " settings of --config right?",
                    e);
        }
    }

    public ClientConfig clientConfig() {
        return clientConfig;
    }

    public SchemaRegistryClient registry() {
        return registry;
    }

    public AvroSerdes serdes() {
        return serdes;
    }

    public Topics topics() {
        return topics;
    }

    /**
     * Runs {@code task} when the process is stopped (Ctrl-C, SIGTERM) before the broker and
     * registry this connection started are closed: a command uses it to stop its work and print
     * what it has.
     */
    void onInterrupt(Runnable task) {
        onInterrupt.add(task);
    }

    /**
     * A stop request for the command's run loop on Ctrl-C; the shutdown hook then waits up to
     * {@code grace} for the command to call {@link Interruption#finished()}.
     */
    Interruption stopOnInterrupt(Duration grace) {
        Interruption interruption = new Interruption();
        onInterrupt(() -> interruption.stopAndWait(grace));
        return interruption;
    }

    private void interrupted() {
        for (Runnable task : onInterrupt) {
            try {
                task.run();
            } catch (RuntimeException e) {
                Console.warn("while stopping: " + e.getMessage());
            }
        }
        close();
    }

    /** The local cluster this connection started, or null when it uses an external one. */
    LocalKafkaCluster localCluster() {
        return localCluster;
    }

    /** The embedded registry this connection started, or null when it uses an external one. */
    EmbeddedSchemaRegistry embeddedRegistry() {
        return embeddedRegistry;
    }

    /**
     * Whether the {@code --config} file sets the bootstrap servers. Reads the file before anything
     * starts, so a file that is missing or cannot be read fails at once, not after a local broker
     * has been started for it.
     */
    private static boolean configHasBootstrap(KafkaOptions kafka) {
        if (kafka.configFile == null) {
            return false;
        }
        try {
            ClientConfig.load(kafka.configFile, null);
            return true;
        } catch (IllegalArgumentException noBootstrapOrUnreadable) {
            // with bootstrap servers given, only a file that cannot be read still fails
            ClientConfig.load(kafka.configFile, UNUSED_BOOTSTRAP);
            return false;
        }
    }

    private <T extends AutoCloseable> T started(T resource) {
        started.push(resource);
        return resource;
    }

    @Override
    public synchronized void close() {
        if (Thread.currentThread() != closeOnExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(closeOnExit);
            } catch (IllegalStateException e) {
                // already shutting down: the hook is running or has run
            }
        }
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                Console.warn("could not stop cleanly: " + e.getMessage());
            }
        }
    }
}
