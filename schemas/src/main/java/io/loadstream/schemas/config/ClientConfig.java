package io.loadstream.schemas.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The one place where Kafka client properties are built. A properties file given with {@code
 * --config} (security, SASL, SSL, tuning: anything a Kafka client accepts) is loaded first and
 * wins; {@code --bootstrap-servers} is set over it; each kind of client then fills its defaults
 * with {@code putIfAbsent}, so the file can override every default.
 *
 * <pre>{@code
 * ClientConfig config = ClientConfig.load(Optional.of(Path.of("client.properties")), "broker:9092");
 * KafkaProducer<...> producer = new KafkaProducer<>(config.producer(), ...);
 * }</pre>
 */
public final class ClientConfig {

    private final Map<String, Object> common;

    private ClientConfig(Map<String, Object> common) {
        this.common = Map.copyOf(common);
    }

    /**
     * Loads client properties from {@code file} (may be null) and sets the bootstrap servers (may
     * be null when the file has them).
     *
     * @throws IllegalArgumentException naming the file when it cannot be read, or when no bootstrap
     *     servers are given anywhere
     */
    public static ClientConfig load(Path file, String bootstrapServers) {
        Map<String, Object> props = new HashMap<>();
        if (file != null) {
            Properties loaded = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                loaded.load(reader);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("config file " + file + " does not exist");
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "cannot read config file " + file + ": " + e.getMessage(), e);
            }
            loaded.stringPropertyNames().forEach(name -> props.put(name, loaded.getProperty(name)));
        }
        if (bootstrapServers != null) {
            props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        }
        if (props.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG) == null) {
            throw new IllegalArgumentException(
                    "no Kafka bootstrap servers: give --bootstrap-servers or set bootstrap.servers"
                            + " in the --config file");
        }
        return new ClientConfig(props);
    }

    /** A config for a cluster at {@code bootstrapServers}, with nothing else set. */
    public static ClientConfig of(String bootstrapServers) {
        return load(null, bootstrapServers);
    }

    public String bootstrapServers() {
        return common.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG).toString();
    }

    /** The properties every client shares: connection and security. */
    public Map<String, Object> common() {
        return common;
    }

    /** Admin client properties. */
    public Map<String, Object> admin() {
        return new HashMap<>(common);
    }

    /**
     * Producer properties: idempotent, {@code acks=all}, batched and lz4-compressed unless the file
     * says otherwise.
     */
    public Map<String, Object> producer() {
        Map<String, Object> props = new HashMap<>(common);
        props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        return props;
    }

    /** Consumer properties for a group, reading committed data from the earliest offset. */
    public Map<String, Object> consumer(String groupId) {
        Map<String, Object> props = new HashMap<>(common);
        props.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return props;
    }
}
