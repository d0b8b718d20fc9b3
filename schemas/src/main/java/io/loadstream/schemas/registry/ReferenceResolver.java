package io.loadstream.schemas.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/**
 * Parses a schema whose text names types that other registered schemas define (Confluent schema
 * references). The referenced schemas are fetched by subject and version, with their own
 * references, each once however many schemas refer to it, and parsed into one Avro parser,
 * dependencies before dependents, so that every text finds the names it uses.
 *
 * <pre>{@code
 * ReferenceResolver resolver = new ReferenceResolver(reference -> fetchVersion(reference));
 * Schema timing = resolver.resolve(definition, "schema id 7").schema();
 * }</pre>
 *
 * <p>Shared by the client, which fetches over HTTP, and the embedded registry, which looks in its
 * store; it keeps no state, so caching is the fetch function's business.
 */
public final class ReferenceResolver {

    /** One version of a subject: what a reference points at, whatever name it gives. */
    private record Key(String subject, int version) {
        static Key of(SchemaReference reference) {
            return new Key(reference.subject(), reference.version());
        }

        @Override
        public String toString() {
            return "subject '" + subject + "' version " + version;
        }
    }

    private final Function<SchemaReference, SchemaDefinition> fetch;

    /**
     * @param fetch the definition of the schema a reference points at; throws a {@link
     *     SchemaRegistryException} when it cannot
     */
    public ReferenceResolver(Function<SchemaReference, SchemaDefinition> fetch) {
        this.fetch = fetch;
    }

    /**
     * Parses a schema with every type its references define, directly or through theirs.
     *
     * @param what the schema as error messages name it, for example {@code schema id 7}
     * @throws SchemaRegistryException if a reference cannot be fetched (with the fetch's status and
     *     error code, and a message naming the reference), if references form a cycle, or if a text
     *     is not valid Avro (error code 42201)
     */
    public ResolvedSchema resolve(SchemaDefinition definition, String what) {
        Map<Key, SchemaDefinition> dependenciesFirst = new LinkedHashMap<>();
        for (SchemaReference reference : definition.references()) {
            collect(reference, what, new ArrayList<>(), dependenciesFirst);
        }
        Schema.Parser parser = new Schema.Parser();
        dependenciesFirst.forEach(
                (key, dependency) ->
                        parse(parser, dependency.text(), key + ", referred to by " + what));
        List<Schema> referencedTypes = new ArrayList<>(parser.getTypes().values());
        return new ResolvedSchema(parse(parser, definition.text(), what), referencedTypes);
    }

    /**
     * Adds the reference's dependencies, then the reference, unless it is there already; {@code
     * path} holds the references being collected, from the schema's own down to this one's parent.
     */
    private void collect(
            SchemaReference reference,
            String what,
            List<Key> path,
            Map<Key, SchemaDefinition> dependenciesFirst) {
        Key key = Key.of(reference);
        if (dependenciesFirst.containsKey(key)) {
            return;
        }
        if (path.contains(key)) {
            throw new SchemaRegistryException(
                    0,
                    RegistryErrors.INVALID_SCHEMA,
                    "the references of " + what + " form a cycle: " + chain(path, key));
        }
        SchemaDefinition dependency = fetch(reference, what, path);
        path.add(key);
        for (SchemaReference nested : dependency.references()) {
            collect(nested, what, path, dependenciesFirst);
        }
        path.remove(path.size() - 1);
        dependenciesFirst.put(key, dependency);
    }

    private SchemaDefinition fetch(SchemaReference reference, String what, List<Key> path) {
        try {
            return fetch.apply(reference);
        } catch (SchemaRegistryException e) {
            String through = path.isEmpty() ? "" : " through " + chain(path, null);
            throw new SchemaRegistryException(
                    e.status(),
                    e.errorCode(),
                    what
                            + " refers to "
                            + reference
                            + through
                            + ", which cannot be fetched: "
                            + e.getMessage(),
                    e);
        }
    }

    private static Schema parse(Schema.Parser parser, String text, String what) {
        try {
            return parser.parse(text);
        } catch (AvroRuntimeException e) {
            throw new SchemaRegistryException(
                    0,
                    RegistryErrors.INVALID_SCHEMA,
                    what + " is not a valid Avro schema: " + e.getMessage());
        }
    }

    private static String chain(List<Key> keys, Key last) {
        List<Key> all = new ArrayList<>(keys);
        if (last != null) {
            all.add(last);
        }
        return all.stream().map(Key::toString).collect(Collectors.joining(" -> "));
    }
}
