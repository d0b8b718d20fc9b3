package io.loadstream.producers.target;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Wraps the deserializer of a config element (an endpoint, a fault) to say where in the file things
 * are. It records where each element starts, in the {@code Map<Object, JsonLocation>} given as the
 * {@link #LOCATIONS} attribute of the read, and reports a failure at the field it is about, or at
 * the element's start when its constructor fails. Jackson itself reports some failures, such as
 * unknown fields of records, where its parser has read ahead to, which in YAML is often the next
 * line.
 */
final class LocatingDeserializer extends DelegatingDeserializer {

    /** Attribute of a read: an identity map from each element read to where it starts. */
    static final String LOCATIONS = LocatingDeserializer.class.getName() + ".locations";

    LocatingDeserializer(JsonDeserializer<?> delegate) {
        super(delegate);
    }

    /** Wraps the deserializers of {@code types} in a locating deserializer. */
    static BeanDeserializerModifier modifierFor(Class<?>... types) {
        Set<Class<?>> located = Set.of(types);
        return new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyDeserializer(
                    DeserializationConfig config,
                    BeanDescription description,
                    JsonDeserializer<?> deserializer) {
                return located.contains(description.getBeanClass())
                        ? new LocatingDeserializer(deserializer)
                        : deserializer;
            }
        };
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
        return new LocatingDeserializer(delegate);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object deserialize(JsonParser parser, DeserializationContext context)
            throws IOException {
        if (!parser.isExpectedStartObjectToken()) {
            return super.deserialize(parser, context);
        }
        // read the element ahead, noting where each field is, then map it from the copy
        JsonLocation start = parser.currentTokenLocation();
        Map<String, JsonLocation> fields = new HashMap<>();
        TokenBuffer copy = context.bufferForInputBuffering(parser);
        copy.writeStartObject();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            fields.putIfAbsent(parser.currentName(), parser.currentTokenLocation());
            copy.writeFieldName(parser.currentName());
            parser.nextToken();
            copy.copyCurrentStructure(parser);
        }
        copy.writeEndObject();
        Object value;
        try (JsonParser replay = copy.asParser(parser)) {
            replay.nextToken();
            value = super.deserialize(replay, context);
        } catch (JsonMappingException e) {
            throw relocated(e, parser, fields.getOrDefault(firstField(e), start));
        }
        if (context.getAttribute(LOCATIONS) instanceof Map<?, ?> locations && value != null) {
            ((Map<Object, JsonLocation>) locations).put(value, start);
        }
        return value;
    }

    private static String firstField(JsonMappingException e) {
        return e.getPath().isEmpty() ? null : e.getPath().get(0).getFieldName();
    }

    private static JsonMappingException relocated(
            JsonMappingException e, JsonParser parser, JsonLocation where) {
        String message =
                e instanceof ValueInstantiationException && e.getCause() != null
                        ? e.getCause().getMessage()
                        : TargetConfigReader.cleaned(e);
        JsonMappingException moved = new JsonMappingException(parser, message, where);
        List<JsonMappingException.Reference> path = e.getPath();
        for (int i = path.size() - 1; i >= 0; i--) {
            moved.prependPath(path.get(i));
        }
        return moved;
    }
}
