package io.loadstream.schemas.serde;

import java.util.Locale;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A record could not be read as Confluent wire-format Avro. The {@link Reason} says why in a form
 * that can travel in a dead-letter header; the message says it for people.
 */
public class WireFormatException extends SerializationException {

    /** Why a record could not be read. */
    public enum Reason {
        /** Fewer bytes than the 5-byte header. */
        TOO_SHORT,
        /** The first byte is not the magic byte 0. */
        NOT_WIRE_FORMAT,
        /** The registry has no schema with the record's id. */
        UNKNOWN_SCHEMA_ID,
        /**
         * The registry could not be asked, or refused to answer: not the record's fault, it can be
         * read once the registry answers.
         */
        REGISTRY_ERROR,
        /**
         * The Avro payload ends before the schema says it should, or a string, bytes, array or map
         * claims more than the rest of the record holds.
         */
        TRUNCATED,
        /** The Avro payload does not decode with its writer schema. */
        CORRUPT,
        /** The writer schema cannot be read with the reader schema. */
        INCOMPATIBLE_SCHEMA;

        /** The reason as a dead-letter header value, for example {@code unknown-schema-id}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Reason reason;

    public WireFormatException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public WireFormatException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
