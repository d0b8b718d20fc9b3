package io.loadstream.schemas.registry;

/**
 * One entry of a schema's {@code references} in the Confluent Schema Registry REST API: the
 * registered schema, by subject and version, that defines a type the referring schema names but
 * does not define. For Avro, {@code name} is the full name of that type, as Confluent's serializers
 * write it; the registry finds the schema by subject and version, not by name.
 *
 * @param name the full name of the referenced type, for example {@code io.loadstream.avro.Outcome}
 * @param subject the subject the referenced schema is registered under
 * @param version its version under that subject
 */
public record SchemaReference(String name, String subject, int version) {

    /** The reference as error messages name it: {@code Outcome (subject 'outcome', version 1)}. */
    @Override
    public String toString() {
        return name + " (subject '" + subject + "', version " + version + ")";
    }
}
