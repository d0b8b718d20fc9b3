package io.loadstream.schemas.registry;

import org.apache.avro.Schema;

/** One version of a subject, as {@code GET /subjects/{subject}/versions/{version}} returns it. */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {}
