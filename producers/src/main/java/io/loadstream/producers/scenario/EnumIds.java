package io.loadstream.producers.scenario;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Finds enum constants by their file name ({@code toString}), for command-line options. */
final class EnumIds {

    private EnumIds() {}

    static <E extends Enum<E>> E find(Class<E> type, String id, String what) {
        for (E constant : type.getEnumConstants()) {
            if (constant.toString().equalsIgnoreCase(id == null ? "" : id.trim())) {
                return constant;
            }
        }
        throw new IllegalArgumentException(
                "'" + id + "' is not a " + what + ": use one of " + list(type));
    }

    /** The names of the constants, comma-separated. */
    static String list(Class<?> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(Object::toString)
                .collect(Collectors.joining(", "));
    }
}
