package io.loadstream.producers.scenario;

import java.time.Duration;

/** The checks the config classes share; each throws an {@link InvalidFieldException}. */
final class FieldChecks {

    private FieldChecks() {}

    static <T> T required(T value, String field) {
        if (value == null) {
            throw new InvalidFieldException(field, "is required");
        }
        return value;
    }

    static String requiredText(String value, String field) {
        if (required(value, field).isBlank()) {
            throw new InvalidFieldException(field, "must not be empty");
        }
        return value.strip();
    }

    static Duration positive(Duration value, String field) {
        if (value != null && (value.isNegative() || value.isZero())) {
            throw new InvalidFieldException(field, "must be greater than 0, not " + value);
        }
        return value;
    }

    static Double positive(Double value, String field) {
        if (value != null && !(value > 0 && Double.isFinite(value))) {
            throw new InvalidFieldException(
                    field, "must be greater than 0, not " + DisplayText.number(value));
        }
        return value;
    }

    static Integer positive(Integer value, String field) {
        if (value != null && value <= 0) {
            throw new InvalidFieldException(field, "must be greater than 0, not " + value);
        }
        return value;
    }

    static Double notNegative(Double value, String field) {
        if (value != null && !(value >= 0 && Double.isFinite(value))) {
            throw new InvalidFieldException(
                    field, "must be 0 or more, not " + DisplayText.number(value));
        }
        return value;
    }

    /** A share of requests: from 0 to 1, written as a fraction or a percentage in files. */
    static Double fraction(Double value, String field) {
        if (value != null && !(value >= 0 && value <= 1)) {
            throw new InvalidFieldException(
                    field,
                    "must be between 0 and 1 (0% and 100%), not " + DisplayText.number(value));
        }
        return value;
    }
}
