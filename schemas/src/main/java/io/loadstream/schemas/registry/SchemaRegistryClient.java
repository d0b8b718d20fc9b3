package io.loadstream.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.avro.Schema;

/**
 * A client of the Confluent Schema Registry REST API: register, look up by id, subjects, versions
 * and compatibility. Works against Confluent Schema Registry, Karapace, Redpanda, Apicurio's
 * Confluent-compatible API and loadstream's embedded registry.
 *
 * <p>A schema may name types that other registered schemas define (Confluent schema references, as
 * other serializers register them): the client fetches those by subject and version, with their own
 * references, and parses them first.
 *
 * <p>Registrations, schemas by id and referenced versions are cached for the life of the client, so
 * serializing or deserializing records makes a registry call only the first time a schema or id is
 * seen:
 *
 * <pre>{@code
 * SchemaRegistryClient registry = new SchemaRegistryClient(SchemaRegistryConfig.of(url));
 * int id = registry.register("loadstream.timings-value", RequestTiming.getClassSchema());
 * Schema writer = registry.schemaById(id); // served from the cache
 * }</pre>
 *
 * <p>An id the registry does not know (error code 40403) is remembered for {@link #UNKNOWN_ID_TTL}
 * (at most {@link #MAX_UNKNOWN_IDS} ids), so that records with junk ids do not cost a registry call
 * each; an id registered meanwhile is found once that time is over.
 *
 * <p>Every failure is a {@link SchemaRegistryException} whose message names the registry, the
 * request and the cause; its {@code errorCode} is the registry's (40401, 40403, 409, ...).
 */
public final class SchemaRegistryClient implements SchemaRegistry {

    /** How long the registry's "no such schema id" is taken as the answer without asking again. */
    public static final Duration UNKNOWN_ID_TTL = Duration.ofSeconds(30);

    /** How many unknown ids are remembered at most; the oldest is forgotten first. */
    public static final int MAX_UNKNOWN_IDS = 1_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SchemaRegistryConfig config;
    private final HttpClient http;
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, SchemaDefinition> referencedVersions = new ConcurrentHashMap<>();
    private final ReferenceResolver resolver = new ReferenceResolver(this::referenced);
    private final UnknownSchemaIds unknownIds;

    public SchemaRegistryClient(SchemaRegistryConfig config) {
        this(config, System::nanoTime);
    }

    /** A client whose memory of unknown ids ages by {@code nanoClock}; for tests. */
    SchemaRegistryClient(SchemaRegistryConfig config, LongSupplier nanoClock) {
        this.config = config;
        this.unknownIds = new UnknownSchemaIds(UNKNOWN_ID_TTL, MAX_UNKNOWN_IDS, nanoClock);
        this.http =
                HttpClient.newBuilder()
                        // registries speak HTTP/1.1; no h2c upgrade attempts on plain http
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(config.timeout())
                        .sslContext(config.sslContext())
                        .build();
    }

    /** The base URLs this client talks to. */
    public List<String> urls() {
        return config.urls();
    }

    /**
     * Fails with a clear message unless the registry answers. Call at start-up so that a wrong URL
     * is reported before any record is produced.
     */
    public void checkReachable() {
        send("GET", "/subjects", null);
    }

    /**
     * Registers a schema under a subject, or returns the id it already has there. Cached: each
     * (subject, schema) pair costs one call per client.
     *
     * @throws SchemaRegistryException with error code 409 if the schema is incompatible with the
     *     subject's earlier versions under its compatibility level
     */
    @Override
    public int register(String subject, Schema schema) {
        Map<Schema, Integer> ids =
                idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        Integer cached = ids.get(schema);
        if (cached != null) {
            return cached;
        }
        JsonNode response = send("POST", subjectPath(subject) + "/versions", schemaBody(schema));
        int id = response.path("id").asInt(-1);
        if (id < 0) {
            throw malformed("register under " + subject, response);
        }
        ids.put(schema, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    /**
     * Registers a schema that may refer to other registered schemas, or returns the id it already
     * has under the subject. Not cached: for tools and tests, not for every record.
     *
     * @throws SchemaRegistryException with error code 42201 if the registry cannot resolve a
     *     reference or parse the text, 409 if the schema is incompatible
     */
    public int register(String subject, SchemaDefinition definition) {
        JsonNode response =
                send(
                        "POST",
                        subjectPath(subject) + "/versions",
                        definition.writeTo(JSON.createObjectNode()));
        int id = response.path("id").asInt(-1);
        if (id < 0) {
            throw malformed("register under " + subject, response);
        }
        return id;
    }

    /**
     * The schema with a global id, with the types its references define. Cached: each id, and each
     * referenced version, costs one call per client; an unknown id one call per {@link
     * #UNKNOWN_ID_TTL}.
     *
     * @throws SchemaRegistryException with error code 40403 if the registry has no such id; with
     *     the registry's error code and a message naming the reference if a referenced schema
     *     cannot be fetched
     */
    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        SchemaRegistryException remembered = unknownIds.find(id);
        if (remembered != null) {
            throw remembered;
        }
        String what = "schema id " + id;
        try {
            JsonNode response = send("GET", "/schemas/ids/" + id, null);
            Schema schema = resolver.resolve(definition(response, what), what).schema();
            schemasById.putIfAbsent(id, schema);
            return schema;
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == RegistryErrors.SCHEMA_NOT_FOUND) {
                unknownIds.remember(id, e);
            }
            throw e;
        }
    }

    /**
     * The version of a subject that holds this schema.
     *
     * @throws SchemaRegistryException 40401 if the subject does not exist, 40403 if the schema is
     *     not registered under it
     */
    public RegisteredSchema lookup(String subject, Schema schema) {
        return registered(send("POST", subjectPath(subject), schemaBody(schema)));
    }

    /** Every subject in the registry. */
    public List<String> subjects() {
        List<String> subjects = new ArrayList<>();
        send("GET", "/subjects", null).forEach(node -> subjects.add(node.asText()));
        return subjects;
    }

    /** The version numbers of a subject, oldest first. */
    public List<Integer> versions(String subject) {
        List<Integer> versions = new ArrayList<>();
        send("GET", subjectPath(subject) + "/versions", null)
                .forEach(node -> versions.add(node.asInt()));
        return versions;
    }

    /** One version of a subject; {@code version} is a number or {@code latest}. */
    public RegisteredSchema version(String subject, String version) {
        return registered(send("GET", subjectPath(subject) + "/versions/" + version, null));
    }

    /**
     * Whether the schema could be registered under the subject now, checked against the latest
     * version under the subject's compatibility level.
     */
    public boolean isCompatible(String subject, Schema schema) {
        JsonNode response =
                send(
                        "POST",
                        "/compatibility" + subjectPath(subject) + "/versions/latest",
                        schemaBody(schema));
        return response.path("is_compatible").asBoolean(false);
    }

    /** Sets a subject's compatibility level. */
    public void setCompatibility(String subject, CompatibilityLevel level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level.name());
        send("PUT", "/config/" + encode(subject), body);
    }

    /** A subject's compatibility level, falling back to the registry's global level. */
    public CompatibilityLevel compatibility(String subject) {
        JsonNode response =
                send("GET", "/config/" + encode(subject) + "?defaultToGlobal=true", null);
        return CompatibilityLevel.parse(response.path("compatibilityLevel").asText());
    }

    private JsonNode send(String method, String path, JsonNode body) {
        SchemaRegistryException unreachable = null;
        for (String base : config.urls()) {
            try {
                return exchangeRetryingOnce(base, method, path, body);
            } catch (ConnectException | HttpConnectTimeoutException e) {
                unreachable =
                        new SchemaRegistryException(
                                "schema registry "
                                        + base
                                        + " is unreachable ("
                                        + describe(e)
                                        + "); check "
                                        + SchemaRegistryConfig.URL,
                                e);
            } catch (HttpTimeoutException e) {
                throw new SchemaRegistryException(
                        "schema registry "
                                + base
                                + " did not answer "
                                + method
                                + " "
                                + path
                                + " within "
                                + config.timeout().toMillis()
                                + " ms",
                        e);
            } catch (IOException e) {
                unreachable =
                        new SchemaRegistryException(
                                "schema registry "
                                        + base
                                        + " failed on "
                                        + method
                                        + " "
                                        + path
                                        + ": "
                                        + describe(e),
                                e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("interrupted while calling " + base + path, e);
            }
        }
        throw unreachable;
    }

    /**
     * Every call of this client is idempotent (registering a schema twice gives the same id), so a
     * connection the server closed under us is retried once on a new one.
     */
    private JsonNode exchangeRetryingOnce(String base, String method, String path, JsonNode body)
            throws IOException, InterruptedException {
        try {
            return exchange(base, method, path, body);
        } catch (ConnectException | HttpTimeoutException e) {
            throw e;
        } catch (IOException e) {
            return exchange(base, method, path, body);
        }
    }

    private JsonNode exchange(String base, String method, String path, JsonNode body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(config.timeout())
                        .header("Accept", RegistryErrors.CONTENT_TYPE)
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofByteArray(
                                                JSON.writeValueAsBytes(body)));
        if (body != null) {
            request.header("Content-Type", RegistryErrors.CONTENT_TYPE);
        }
        config.authorizationHeader().ifPresent(value -> request.header("Authorization", value));
        HttpResponse<byte[]> response =
                http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode json = readJson(response.body());
        if (response.statusCode() >= 300) {
            int code = json.path("error_code").asInt(response.statusCode());
            String message = json.path("message").asText("HTTP " + response.statusCode());
            throw new SchemaRegistryException(
                    response.statusCode(),
                    code,
                    "schema registry "
                            + base
                            + " refused "
                            + method
                            + " "
                            + path
                            + ": "
                            + message
                            + " (error code "
                            + code
                            + ")");
        }
        return json;
    }

    private static JsonNode readJson(byte[] body) {
        if (body.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode().put("message", new String(body, StandardCharsets.UTF_8));
        }
    }

    private RegisteredSchema registered(JsonNode node) {
        String subject = node.path("subject").asText();
        int id = node.path("id").asInt(-1);
        if (id < 0) {
            throw malformed("read subject " + subject, node);
        }
        int version = node.path("version").asInt();
        String what = "subject " + subject + " version " + version;
        SchemaDefinition definition = definition(node, what);
        Schema schema = resolver.resolve(definition, what).schema();
        schemasById.putIfAbsent(id, schema);
        return new RegisteredSchema(subject, version, id, schema, definition.references());
    }

    /**
     * The definition of the version a reference points at. A version of a subject never changes, so
     * each is fetched once per client however many schemas refer to it.
     */
    private SchemaDefinition referenced(SchemaReference reference) {
        String path = subjectPath(reference.subject()) + "/versions/" + reference.version();
        SchemaDefinition cached = referencedVersions.get(path);
        if (cached != null) {
            return cached;
        }
        SchemaDefinition definition = definition(send("GET", path, null), "GET " + path);
        referencedVersions.putIfAbsent(path, definition);
        return definition;
    }

    private static SchemaDefinition definition(JsonNode answer, String what) {
        try {
            return SchemaDefinition.fromJson(answer);
        } catch (IllegalArgumentException e) {
            throw new SchemaRegistryException(
                    0,
                    0,
                    "schema registry gave an unexpected answer for "
                            + what
                            + ": "
                            + e.getMessage()
                            + " in "
                            + answer);
        }
    }

    private static ObjectNode schemaBody(Schema schema) {
        return SchemaDefinition.of(schema).writeTo(JSON.createObjectNode());
    }

    private static SchemaRegistryException malformed(String action, JsonNode response) {
        return new SchemaRegistryException(
                0, 0, "schema registry gave an unexpected answer to " + action + ": " + response);
    }

    private static String subjectPath(String subject) {
        return "/subjects/" + encode(subject);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
