package io.loadstream.schemas.registry;

import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * A registry held in memory, for topology tests and tools that need serdes but no shared registry.
 * Ids are counted from 1; a schema keeps its id across subjects. No compatibility checks.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {

    private final Map<Schema, Integer> ids = new HashMap<>();
    private final Map<Integer, Schema> schemas = new HashMap<>();

    @Override
    public synchronized int register(String subject, Schema schema) {
        return ids.computeIfAbsent(
                schema,
                s -> {
                    int id = ids.size() + 1;
                    schemas.put(id, s);
                    return id;
                });
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = schemas.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(
                    404, RegistryErrors.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
        return schema;
    }
}
