package io.loadstream.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;

/**
 * A schema as a registry stores and serves it: its text, which may name types it does not define,
 * and the {@link SchemaReference references} to the registered schemas that define them. It is the
 * {@code "schema"} and {@code "references"} of a registration, a look-up and of the answers to
 * {@code GET /schemas/ids/{id}} and {@code GET /subjects/{subject}/versions/{version}}:
 *
 * <pre>{@code
 * {"schema": "{\"type\":\"record\",\"name\":\"RequestTiming\",...\"type\":\"io.loadstream.avro.Outcome\"...}",
 *  "references": [{"name": "io.loadstream.avro.Outcome", "subject": "outcome", "version": 1}]}
 * }</pre>
 *
 * <p>The JSON mapping lives here so that the client and the embedded registry read and write the
 * same fields; {@code references} is left out when there are none, as older registries expect.
 */
public record SchemaDefinition(String text, List<SchemaReference> references) {

    public SchemaDefinition {
        Objects.requireNonNull(text, "text");
        references = List.copyOf(references);
    }

    /** A schema that defines every type it uses. */
    public static SchemaDefinition of(Schema schema) {
        return new SchemaDefinition(schema.toString(), List.of());
    }

    /**
     * Reads the {@code "schema"} and {@code "references"} fields of a request or an answer.
     *
     * @throws IllegalArgumentException naming the field that is missing or of the wrong type
     */
    public static SchemaDefinition fromJson(JsonNode node) {
        JsonNode text = node == null ? null : node.get("schema");
        if (text == null || !text.isTextual() || text.asText().isBlank()) {
            throw new IllegalArgumentException("there is no \"schema\" field");
        }
        return new SchemaDefinition(text.asText(), references(node.get("references")));
    }

    /** Writes {@code "schema"}, and {@code "references"} when there are any, into {@code node}. */
    public ObjectNode writeTo(ObjectNode node) {
        node.put("schema", text);
        if (!references.isEmpty()) {
            ArrayNode array = node.putArray("references");
            references.forEach(
                    r ->
                            array.addObject()
                                    .put("name", r.name())
                                    .put("subject", r.subject())
                                    .put("version", r.version()));
        }
        return node;
    }

    private static List<SchemaReference> references(JsonNode array) {
        if (array == null || array.isNull()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw new IllegalArgumentException("\"references\" is not an array");
        }
        List<SchemaReference> references = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode entry = array.get(i);
            String at = "references[" + i + "]";
            references.add(
                    new SchemaReference(
                            text(entry, "name", at),
                            text(entry, "subject", at),
                            version(entry, at)));
        }
        return references;
    }

    private static String text(JsonNode entry, String field, String at) {
        JsonNode value = entry.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(at + " has no \"" + field + "\"");
        }
        return value.asText();
    }

    private static int version(JsonNode entry, String at) {
        JsonNode value = entry.get("version");
        if (value == null || !value.canConvertToInt()) {
            throw new IllegalArgumentException(at + " has no integer \"version\"");
        }
        return value.asInt();
    }
}
