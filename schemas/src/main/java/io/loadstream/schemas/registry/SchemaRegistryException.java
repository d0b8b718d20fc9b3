package io.loadstream.schemas.registry;

/**
 * A schema registry call failed. Carries the HTTP status and the registry's own error code (for
 * example 40401 subject not found, 40403 schema not found, 409 incompatible schema) so callers can
 * tell the cases apart; the message always names the registry, the request and the cause.
 */
public class SchemaRegistryException extends RuntimeException {

    /** Error code used when the registry could not be reached at all. */
    public static final int UNREACHABLE = -1;

    private final int status;
    private final int errorCode;

    public SchemaRegistryException(int status, int errorCode, String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** A failure caused by another with this status and error code, for example a reference's. */
    public SchemaRegistryException(int status, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.status = UNREACHABLE;
        this.errorCode = UNREACHABLE;
    }

    /** HTTP status of the response, or {@link #UNREACHABLE}. */
    public int status() {
        return status;
    }

    /** The registry's {@code error_code}, or {@link #UNREACHABLE}. */
    public int errorCode() {
        return errorCode;
    }

    /**
     * Whether asking again later may succeed: the registry could not be reached or did not answer
     * in time, was overloaded (HTTP 429, 408) or failed on its side (5xx). A refusal (401, 403,
     * 404, 409, 422) or an answer the client cannot read gives the same result every time.
     */
    public boolean isTransient() {
        return status == UNREACHABLE || status == 408 || status == 429 || status >= 500;
    }
}
