package io.loadstream.cluster.registry;

/** An error answer of the registry: HTTP status, Confluent error code and message. */
final class RegistryError extends RuntimeException {
    final int status;
    final int errorCode;

    RegistryError(int status, int errorCode, String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }
}
