package io.loadstream.producers.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shape of the config records as far as a YAML file sees it: which fields a record has, under
 * the names files use, and what the values of lists and maps are. Lets {@link YamlPositions} check
 * field names while it reads a document. Types are null where the shape is not known.
 */
final class ConfigFields {

    private ConfigFields() {}

    /**
     * The fields of {@code type} by file name, in declaration order, with their types; null when
     * {@code type} is not a record.
     */
    static Map<String, Type> of(Type type) {
        Class<?> raw = rawClass(type);
        if (raw == null || !raw.isRecord()) {
            return null;
        }
        Map<String, Type> fields = new LinkedHashMap<>();
        for (RecordComponent component : raw.getRecordComponents()) {
            JsonProperty renamed = component.getAccessor().getAnnotation(JsonProperty.class);
            String name =
                    renamed == null || renamed.value().isEmpty()
                            ? component.getName()
                            : renamed.value();
            fields.put(name, component.getGenericType());
        }
        return fields;
    }

    /** The type of the values when {@code type} is a map, else null. */
    static Type mapValues(Type type) {
        Class<?> raw = rawClass(type);
        return raw != null && Map.class.isAssignableFrom(raw) ? argument(type, 1) : null;
    }

    /** The type of the elements when {@code type} is a collection, else null. */
    static Type elements(Type type) {
        Class<?> raw = rawClass(type);
        return raw != null && Collection.class.isAssignableFrom(raw) ? argument(type, 0) : null;
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> raw) {
            return raw;
        }
        return type instanceof ParameterizedType generic ? rawClass(generic.getRawType()) : null;
    }

    private static Type argument(Type type, int index) {
        return type instanceof ParameterizedType generic
                ? generic.getActualTypeArguments()[index]
                : null;
    }
}
