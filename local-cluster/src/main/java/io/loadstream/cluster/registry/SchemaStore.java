package io.loadstream.cluster.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loadstream.schemas.registry.CompatibilityLevel;
import io.loadstream.schemas.registry.ReferenceResolver;
import io.loadstream.schemas.registry.RegistryErrors;
import io.loadstream.schemas.registry.ResolvedSchema;
import io.loadstream.schemas.registry.SchemaDefinition;
import io.loadstream.schemas.registry.SchemaReference;
import io.loadstream.schemas.registry.SchemaRegistryException;
import io.loadstream.schemas.topic.CleanupPolicy;
import io.loadstream.schemas.topic.TopicSetup;
import io.loadstream.schemas.topic.TopicSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded registry's state: subjects, versions, ids and compatibility levels, kept in a
 * compacted single-partition Kafka topic in the same record layout as Confluent's {@code _schemas}.
 * The topic is the source of truth: a write is produced first and applied when read back, and a
 * read that misses catches up with the topic first, so several processes can share one topic.
 *
 * <p>A schema may name types that other subjects define (Confluent schema references): it is parsed
 * with the versions its references point at, and kept as registered, the types named, not inlined.
 *
 * <p>Schema ids are derived from the content, the canonical schema text and its references, rather
 * than counted ({@link SchemaIds}), so two registries on one topic give the same schema the same id
 * without talking to each other.
 *
 * <p>A record of the topic that cannot be read (not JSON, not valid Avro, a reference to a version
 * the topic does not hold) is skipped with a warning naming its offset and the reason, and counted
 * ({@link #unreadableRecords()}); every other record is still applied. Skipping rather than failing
 * start-up keeps one bad record, which compaction never removes, from stopping every process that
 * shares the topic; a record written with a skipped schema's id then fails to deserialize with an
 * unknown schema id, which is reported where it is read.
 */
final class SchemaStore implements AutoCloseable {

    /**
     * One version of a subject.
     *
     * @param definition the canonical text and references, as registered and served
     * @param schema the text parsed with the types its references define
     */
    record Version(
            String subject, int version, int id, SchemaDefinition definition, Schema schema) {}

    private static final Logger log = LoggerFactory.getLogger(SchemaStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(30);

    private final String topic;
    private final TopicPartition partition;
    private final KafkaConsumer<String, String> consumer;
    private final KafkaProducer<String, String> producer;

    private final Map<String, List<Version>> subjects = new TreeMap<>();
    private final SchemaIds ids = new SchemaIds();
    private final ReferenceResolver resolver = new ReferenceResolver(this::referenced);
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
    private long unreadableRecords;

    SchemaStore(Map<String, Object> clientConfig, String topic) {
        this.topic = topic;
        this.partition = new TopicPartition(topic, 0);
        try (Admin admin = Admin.create(clientConfig)) {
            new TopicSetup(admin, Optional.empty())
                    .ensure(List.of(new TopicSpec(topic, CleanupPolicy.COMPACT, 1)));
        }
        Map<String, Object> consumerConfig = new HashMap<>(clientConfig);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer =
                new KafkaConsumer<>(
                        consumerConfig, new StringDeserializer(), new StringDeserializer());
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        Map<String, Object> producerConfig = new HashMap<>(clientConfig);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer =
                new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
        catchUp();
    }

    /**
     * Registers a schema under a subject, or returns the id it has there already.
     *
     * @throws RegistryError 422 if it is not valid Avro or a reference does not resolve, 409 if it
     *     is incompatible with the subject's versions
     */
    synchronized int register(String subject, SchemaDefinition definition) {
        catchUp();
        ResolvedSchema resolved = resolve(definition);
        SchemaDefinition canonical = canonical(definition, resolved);
        Optional<Version> existing = findCanonical(subject, canonical);
        if (existing.isPresent()) {
            return existing.get().id();
        }
        List<Version> versions = subjects.getOrDefault(subject, List.of());
        List<String> problems =
                CompatibilityChecker.incompatibilities(
                        level(subject),
                        resolved.schema(),
                        versions.stream().map(Version::schema).toList());
        if (!problems.isEmpty()) {
            throw new RegistryError(
                    409,
                    RegistryErrors.INCOMPATIBLE_SCHEMA,
                    "Schema being registered is incompatible with an earlier schema for subject \""
                            + subject
                            + "\", details: "
                            + problems);
        }
        int id = ids.idFor(canonical);
        int version = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version() + 1;
        ObjectNode key =
                JSON.createObjectNode()
                        .put("keytype", "SCHEMA")
                        .put("subject", subject)
                        .put("version", version)
                        .put("magic", 1);
        ObjectNode value =
                JSON.createObjectNode()
                        .put("subject", subject)
                        .put("version", version)
                        .put("id", id);
        write(key, canonical.writeTo(value).put("deleted", false));
        return id;
    }

    /**
     * The version of the subject that holds this schema with these references.
     *
     * @throws RegistryError 422 if it is not valid Avro or a reference does not resolve
     */
    synchronized Optional<Version> find(String subject, SchemaDefinition definition) {
        return findCanonical(subject, canonical(definition, resolve(definition)));
    }

    /**
     * Parses a schema with the types its references define.
     *
     * @throws RegistryError 422 if it is not valid Avro or a reference does not resolve
     */
    synchronized ResolvedSchema resolve(SchemaDefinition definition) {
        if (!definition.references().isEmpty()) {
            catchUp();
        }
        try {
            return resolver.resolve(definition, "the schema");
        } catch (SchemaRegistryException e) {
            throw new RegistryError(
                    422, RegistryErrors.INVALID_SCHEMA, "Invalid schema: " + e.getMessage());
        }
    }

    synchronized Optional<SchemaDefinition> definitionById(int id) {
        if (ids.definition(id).isEmpty()) {
            catchUp();
        }
        return ids.definition(id);
    }

    /** Records of the topic this store has skipped because it could not read them. */
    synchronized long unreadableRecords() {
        return unreadableRecords;
    }

    synchronized List<String> subjects() {
        catchUp();
        return List.copyOf(subjects.keySet());
    }

    /** The subject's versions, oldest first; empty if there is no such subject. */
    synchronized List<Version> versions(String subject) {
        if (!subjects.containsKey(subject)) {
            catchUp();
        }
        return List.copyOf(subjects.getOrDefault(subject, List.of()));
    }

    /** The level that applies to a subject: its own, or the global one. */
    synchronized CompatibilityLevel level(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    synchronized CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    /** Sets a subject's level, or the global one when {@code subject} is null. */
    synchronized void setLevel(String subject, CompatibilityLevel level) {
        ObjectNode key = JSON.createObjectNode().put("keytype", "CONFIG").put("magic", 0);
        key.put("subject", subject);
        write(key, JSON.createObjectNode().put("compatibilityLevel", level.name()));
    }

    private Optional<Version> findCanonical(String subject, SchemaDefinition canonical) {
        return versions(subject).stream()
                .filter(v -> SchemaIds.sameContent(v.definition(), canonical))
                .findFirst();
    }

    /**
     * The version a reference points at, as this store has read it: the caller has caught up, and
     * replaying the topic must not, since a reference is always written before the schemas that use
     * it.
     */
    private SchemaDefinition referenced(SchemaReference reference) {
        List<Version> versions = subjects.get(reference.subject());
        if (versions == null) {
            throw new SchemaRegistryException(
                    404,
                    RegistryErrors.SUBJECT_NOT_FOUND,
                    "Subject '" + reference.subject() + "' not found.");
        }
        return versions.stream()
                .filter(v -> v.version() == reference.version())
                .findFirst()
                .map(Version::definition)
                .orElseThrow(
                        () ->
                                new SchemaRegistryException(
                                        404,
                                        RegistryErrors.VERSION_NOT_FOUND,
                                        "Subject '"
                                                + reference.subject()
                                                + "' has no version "
                                                + reference.version()
                                                + "."));
    }

    private static SchemaDefinition canonical(
            SchemaDefinition definition, ResolvedSchema resolved) {
        return new SchemaDefinition(resolved.canonicalText(), definition.references());
    }

    private void write(ObjectNode key, ObjectNode value) {
        try {
            producer.send(new ProducerRecord<>(topic, 0, key.toString(), value.toString()))
                    .get(CATCH_UP_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw backendError("interrupted while writing to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw backendError("cannot write to " + topic + ": " + e.getMessage(), e);
        }
        catchUp();
    }

    private void catchUp() {
        long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
        long end = consumer.endOffsets(List.of(partition), CATCH_UP_TIMEOUT).get(partition);
        while (consumer.position(partition, CATCH_UP_TIMEOUT) < end) {
            if (System.nanoTime() > deadline) {
                throw backendError("timed out reading " + topic + " up to offset " + end, null);
            }
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                apply(record);
            }
        }
    }

    /**
     * Applies one record of the topic. A record this registry cannot read is skipped, as
     * Confluent's registry does, and reported: logged with its offset and the reason, and counted.
     * Whatever the reason, it never escapes, since the consumer's position is already past the
     * whole batch the record came in: an exception here would lose every record after it.
     */
    private void apply(ConsumerRecord<String, String> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        try {
            JsonNode key = JSON.readTree(record.key());
            JsonNode value = JSON.readTree(record.value());
            switch (key.path("keytype").asText()) {
                case "SCHEMA" -> applySchema(value);
                case "CONFIG" -> applyConfig(key, value);
                default -> {
                    // other record types (modes, deletes) are not used by the embedded registry
                }
            }
        } catch (IOException | RuntimeException e) {
            unreadableRecords++;
            log.warn(
                    "skipping unreadable record at offset {} of {} (key {}): {}",
                    record.offset(),
                    topic,
                    record.key(),
                    e.toString());
        }
    }

    private void applySchema(JsonNode value) {
        if (value.path("deleted").asBoolean(false)) {
            return;
        }
        String subject = value.path("subject").asText();
        int id = value.path("id").asInt();
        int version = value.path("version").asInt();
        SchemaDefinition written = SchemaDefinition.fromJson(value);
        ResolvedSchema resolved = resolver.resolve(written, "schema id " + id);
        // another registry's record may hold the text as it was sent rather than canonical
        SchemaDefinition definition = canonical(written, resolved);
        List<Version> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
        versions.removeIf(v -> v.version() == version);
        versions.add(new Version(subject, version, id, definition, resolved.schema()));
        versions.sort((a, b) -> Integer.compare(a.version(), b.version()));
        ids.remember(id, definition);
    }

    private void applyConfig(JsonNode key, JsonNode value) {
        CompatibilityLevel level =
                CompatibilityLevel.parse(value.path("compatibilityLevel").asText());
        if (level == null) {
            return;
        }
        JsonNode subject = key.path("subject");
        if (subject.isMissingNode() || subject.isNull()) {
            globalLevel = level;
        } else {
            subjectLevels.put(subject.asText(), level);
        }
    }

    private static RegistryError backendError(String message, Throwable cause) {
        RegistryError error = new RegistryError(500, RegistryErrors.BACKEND_STORE_ERROR, message);
        if (cause != null) {
            error.initCause(cause);
        }
        return error;
    }

    @Override
    public synchronized void close() {
        producer.close(Duration.ofSeconds(5));
        consumer.close(
                org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
