package io.loadstream.cluster.registry;

import static io.loadstream.schemas.registry.RegistryErrors.INVALID_COMPATIBILITY_LEVEL;
import static io.loadstream.schemas.registry.RegistryErrors.INVALID_SCHEMA;
import static io.loadstream.schemas.registry.RegistryErrors.INVALID_VERSION;
import static io.loadstream.schemas.registry.RegistryErrors.SCHEMA_NOT_FOUND;
import static io.loadstream.schemas.registry.RegistryErrors.SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED;
import static io.loadstream.schemas.registry.RegistryErrors.SUBJECT_NOT_FOUND;
import static io.loadstream.schemas.registry.RegistryErrors.VERSION_NOT_FOUND;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loadstream.cluster.registry.SchemaStore.Version;
import io.loadstream.schemas.registry.CompatibilityLevel;
import io.loadstream.schemas.registry.SchemaDefinition;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;

/**
 * The Confluent Schema Registry REST API over a {@link SchemaStore}: each method takes the decoded
 * path, query and body of one request and returns the JSON answer, or throws a {@link
 * RegistryError} with Confluent's status and error code.
 */
final class RegistryRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SEGMENT = "([^/]+)";
    private static final Pattern SUBJECTS = Pattern.compile("/subjects/?");
    private static final Pattern SUBJECT = Pattern.compile("/subjects/" + SEGMENT + "/?");
    private static final Pattern VERSIONS = Pattern.compile("/subjects/" + SEGMENT + "/versions/?");
    private static final Pattern VERSION =
            Pattern.compile("/subjects/" + SEGMENT + "/versions/" + SEGMENT + "/?");
    private static final Pattern VERSION_SCHEMA =
            Pattern.compile("/subjects/" + SEGMENT + "/versions/" + SEGMENT + "/schema/?");
    private static final Pattern SCHEMA_BY_ID = Pattern.compile("/schemas/ids/(-?\\d+)/?");
    private static final Pattern SCHEMA_TYPES = Pattern.compile("/schemas/types/?");
    private static final Pattern COMPATIBILITY_ALL =
            Pattern.compile("/compatibility/subjects/" + SEGMENT + "/versions/?");
    private static final Pattern COMPATIBILITY =
            Pattern.compile("/compatibility/subjects/" + SEGMENT + "/versions/" + SEGMENT + "/?");
    private static final Pattern GLOBAL_CONFIG = Pattern.compile("/config/?");
    private static final Pattern SUBJECT_CONFIG = Pattern.compile("/config/" + SEGMENT + "/?");

    private final SchemaStore store;

    RegistryRoutes(SchemaStore store) {
        this.store = store;
    }

    /** Answers one request; the returned node is the response body, with status 200. */
    Object handle(String method, String path, Query query, JsonNode body) {
        Matcher m;
        if (path.equals("/") || path.isEmpty()) {
            return JSON.createObjectNode();
        } else if ((m = match(SUBJECTS, path)) != null && method.equals("GET")) {
            return store.subjects();
        } else if ((m = match(VERSIONS, path)) != null) {
            return method.equals("POST") ? register(seg(m, 1), body) : versions(seg(m, 1));
        } else if ((m = match(VERSION_SCHEMA, path)) != null && method.equals("GET")) {
            return version(seg(m, 1), seg(m, 2)).definition().text();
        } else if ((m = match(VERSION, path)) != null && method.equals("GET")) {
            return describe(version(seg(m, 1), seg(m, 2)));
        } else if ((m = match(SUBJECT, path)) != null && method.equals("POST")) {
            return lookup(seg(m, 1), body);
        } else if ((m = match(SCHEMA_BY_ID, path)) != null && method.equals("GET")) {
            return schemaById(Integer.parseInt(m.group(1)));
        } else if (match(SCHEMA_TYPES, path) != null && method.equals("GET")) {
            return List.of("AVRO");
        } else if ((m = match(COMPATIBILITY_ALL, path)) != null && method.equals("POST")) {
            return compatibility(seg(m, 1), null, body, query.flag("verbose"));
        } else if ((m = match(COMPATIBILITY, path)) != null && method.equals("POST")) {
            return compatibility(seg(m, 1), seg(m, 2), body, query.flag("verbose"));
        } else if (match(GLOBAL_CONFIG, path) != null) {
            return config(method, null, body, true);
        } else if ((m = match(SUBJECT_CONFIG, path)) != null) {
            return config(method, seg(m, 1), body, query.flag("defaultToGlobal"));
        }
        throw new RegistryError(404, 404, "HTTP 404 Not Found: " + method + " " + path);
    }

    private ObjectNode register(String subject, JsonNode body) {
        int id = store.register(subject, definitionOf(body));
        return JSON.createObjectNode().put("id", id);
    }

    private List<Integer> versions(String subject) {
        List<Version> versions = existingVersions(subject);
        return versions.stream().map(Version::version).toList();
    }

    private ObjectNode lookup(String subject, JsonNode body) {
        SchemaDefinition definition = definitionOf(body);
        existingVersions(subject);
        return describe(
                store.find(subject, definition)
                        .orElseThrow(
                                () ->
                                        new RegistryError(
                                                404, SCHEMA_NOT_FOUND, "Schema not found")));
    }

    private ObjectNode schemaById(int id) {
        SchemaDefinition definition =
                store.definitionById(id)
                        .orElseThrow(
                                () ->
                                        new RegistryError(
                                                404,
                                                SCHEMA_NOT_FOUND,
                                                "Schema " + id + " not found"));
        return definition.writeTo(JSON.createObjectNode());
    }

    private ObjectNode compatibility(
            String subject, String version, JsonNode body, boolean verbose) {
        Schema schema = store.resolve(definitionOf(body)).schema();
        List<Schema> against;
        if (version == null) {
            against = store.versions(subject).stream().map(Version::schema).toList();
        } else {
            Version v = version(subject, version);
            against = List.of(v.schema());
        }
        CompatibilityLevel level = store.level(subject);
        List<String> problems =
                CompatibilityChecker.incompatibilities(
                        version == null ? level : nonTransitive(level), schema, against);
        ObjectNode answer = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
        if (verbose) {
            problems.forEach(answer.putArray("messages")::add);
        }
        return answer;
    }

    private ObjectNode config(
            String method, String subject, JsonNode body, boolean defaultToGlobal) {
        if (method.equals("PUT")) {
            String text = body == null ? null : body.path("compatibility").asText(null);
            CompatibilityLevel level = CompatibilityLevel.parse(text);
            if (level == null) {
                throw new RegistryError(
                        422,
                        INVALID_COMPATIBILITY_LEVEL,
                        "Invalid compatibility level. Valid values are none, backward, forward,"
                                + " full, backward_transitive, forward_transitive, and"
                                + " full_transitive");
            }
            store.setLevel(subject, level);
            return JSON.createObjectNode().put("compatibility", level.name());
        }
        if (!method.equals("GET")) {
            throw new RegistryError(405, 405, "HTTP 405 Method Not Allowed");
        }
        CompatibilityLevel level =
                subject == null
                        ? store.globalLevel()
                        : store.subjectLevel(subject)
                                .orElseGet(() -> defaultToGlobal ? store.globalLevel() : null);
        if (level == null) {
            throw new RegistryError(
                    404,
                    SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED,
                    "Subject '"
                            + subject
                            + "' does not have subject-level compatibility configured");
        }
        return JSON.createObjectNode().put("compatibilityLevel", level.name());
    }

    private Version version(String subject, String version) {
        List<Version> versions = existingVersions(subject);
        if (version.equals("latest") || version.equals("-1")) {
            return versions.get(versions.size() - 1);
        }
        int number;
        try {
            number = Integer.parseInt(version);
        } catch (NumberFormatException e) {
            number = 0;
        }
        if (number < 1) {
            throw new RegistryError(
                    422,
                    INVALID_VERSION,
                    "The specified version '"
                            + version
                            + "' is not a valid version id. Allowed"
                            + " values are between [1, 2^31-1] and the string \"latest\"");
        }
        int wanted = number;
        return versions.stream()
                .filter(v -> v.version() == wanted)
                .findFirst()
                .orElseThrow(
                        () ->
                                new RegistryError(
                                        404,
                                        VERSION_NOT_FOUND,
                                        "Version " + wanted + " not found."));
    }

    private List<Version> existingVersions(String subject) {
        List<Version> versions = store.versions(subject);
        if (versions.isEmpty()) {
            throw new RegistryError(404, SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
        }
        return versions;
    }

    private static ObjectNode describe(Version version) {
        ObjectNode answer =
                JSON.createObjectNode()
                        .put("subject", version.subject())
                        .put("version", version.version())
                        .put("id", version.id());
        return version.definition().writeTo(answer);
    }

    /** The schema and references of a request; parsed, with the references, by the store. */
    private static SchemaDefinition definitionOf(JsonNode body) {
        String type = body == null ? "AVRO" : body.path("schemaType").asText("AVRO");
        if (!type.equals("AVRO")) {
            throw new RegistryError(
                    422,
                    INVALID_SCHEMA,
                    "Invalid schema: schema type " + type + " is not supported, only AVRO");
        }
        try {
            return SchemaDefinition.fromJson(body);
        } catch (IllegalArgumentException e) {
            throw new RegistryError(422, INVALID_SCHEMA, "Invalid schema: " + e.getMessage());
        }
    }

    private static CompatibilityLevel nonTransitive(CompatibilityLevel level) {
        return switch (level) {
            case BACKWARD_TRANSITIVE -> CompatibilityLevel.BACKWARD;
            case FORWARD_TRANSITIVE -> CompatibilityLevel.FORWARD;
            case FULL_TRANSITIVE -> CompatibilityLevel.FULL;
            default -> level;
        };
    }

    private static String seg(Matcher m, int group) {
        return java.net.URLDecoder.decode(m.group(group), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static Matcher match(Pattern pattern, String path) {
        Matcher matcher = pattern.matcher(path);
        return matcher.matches() ? matcher : null;
    }

    /** The query parameters of a request. */
    record Query(java.util.Map<String, String> params) {
        boolean flag(String name) {
            return Boolean.parseBoolean(params.getOrDefault(name, "false"));
        }
    }
}
