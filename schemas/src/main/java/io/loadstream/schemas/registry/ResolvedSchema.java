package io.loadstream.schemas.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * A schema parsed together with the types its references define.
 *
 * @param schema the parsed schema, with every referenced type in place
 * @param referencedTypes the named types that its references define, directly or through their own
 *     references
 */
public record ResolvedSchema(Schema schema, List<Schema> referencedTypes) {

    public ResolvedSchema {
        referencedTypes = List.copyOf(referencedTypes);
    }

    /**
     * The schema in Avro's compact text, naming rather than inlining the types its references
     * define. Texts that differ only in spacing give the same canonical text; without references it
     * is {@code schema.toString()}.
     */
    @SuppressWarnings("deprecation") // Avro 1.12 has no other way to print given types by name only
    public String canonicalText() {
        return referencedTypes.isEmpty()
                ? schema.toString()
                : schema.toString(referencedTypes, false);
    }
}
