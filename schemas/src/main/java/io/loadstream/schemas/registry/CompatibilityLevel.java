package io.loadstream.schemas.registry;

import java.util.Locale;

/**
 * Schema compatibility levels of the Confluent Schema Registry. BACKWARD, the default, means a
 * consumer using the new schema can read data written with the previous one.
 */
public enum CompatibilityLevel {
    NONE,
    BACKWARD,
    BACKWARD_TRANSITIVE,
    FORWARD,
    FORWARD_TRANSITIVE,
    FULL,
    FULL_TRANSITIVE;

    /** Whether the new schema must be able to read data written with older ones. */
    public boolean checksBackward() {
        return this != NONE && this != FORWARD && this != FORWARD_TRANSITIVE;
    }

    /** Whether older schemas must be able to read data written with the new one. */
    public boolean checksForward() {
        return this != NONE && this != BACKWARD && this != BACKWARD_TRANSITIVE;
    }

    /** Whether the check runs against every earlier version rather than only the latest. */
    public boolean transitive() {
        return name().endsWith("_TRANSITIVE");
    }

    /** Parses a level case-insensitively, or returns null when the text names none. */
    public static CompatibilityLevel parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
