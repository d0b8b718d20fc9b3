package io.loadstream.cluster.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadstream.schemas.registry.SchemaDefinition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded registry's schema ids, derived from a schema's content (its canonical text and its
 * references) by a hash, probed on collision, rather than counted: registries that share one topic
 * give one schema one id without talking to each other. Not thread-safe; the store calls it under
 * its lock.
 */
final class SchemaIds {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<Integer, SchemaDefinition> definitionsById = new HashMap<>();
    private final Map<String, Integer> idsByContent = new HashMap<>();

    /** The id a schema has, or the one it gets when registered. */
    int idFor(SchemaDefinition canonical) {
        String content = content(canonical);
        Integer known = idsByContent.get(content);
        if (known != null) {
            return known;
        }
        int id = Math.max(1, ByteBuffer.wrap(sha256(content)).getInt() & 0x7fffffff);
        while (definitionsById.containsKey(id)) {
            id = id == Integer.MAX_VALUE ? 1 : id + 1;
        }
        return id;
    }

    /** Records an id as read back from the topic; the first schema read with an id keeps it. */
    void remember(int id, SchemaDefinition definition) {
        definitionsById.putIfAbsent(id, definition);
        idsByContent.putIfAbsent(content(definition), id);
    }

    Optional<SchemaDefinition> definition(int id) {
        return Optional.ofNullable(definitionsById.get(id));
    }

    /** Whether two schemas are the same schema: same canonical text, same references. */
    static boolean sameContent(SchemaDefinition a, SchemaDefinition b) {
        return content(a).equals(content(b));
    }

    /**
     * A schema without references is its text alone, so such schemas keep the ids they had before
     * references were served.
     */
    private static String content(SchemaDefinition definition) {
        return definition.references().isEmpty()
                ? definition.text()
                : definition.writeTo(JSON.createObjectNode()).toString();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
