package io.loadstream.schemas.registry;

import org.apache.avro.Schema;

/** What the serdes need of a schema registry: registering a schema and finding one by id. */
public interface SchemaRegistry {

    /**
     * Registers a schema under a subject, or returns the id it already has there.
     *
     * @throws SchemaRegistryException if the registry refuses it (409 when incompatible)
     */
    int register(String subject, Schema schema);

    /**
     * The schema with a global id.
     *
     * @throws SchemaRegistryException with error code 40403 if there is no such id
     */
    Schema schemaById(int id);
}
