package io.loadstream.schemas.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * One version of a subject, as {@code GET /subjects/{subject}/versions/{version}} returns it.
 *
 * @param schema the parsed schema, with the types its references define in place
 * @param references the registered schemas its text refers to by name; empty when it has none
 */
public record RegisteredSchema(
        String subject, int version, int id, Schema schema, List<SchemaReference> references) {

    public RegisteredSchema {
        references = List.copyOf(references);
    }
}
