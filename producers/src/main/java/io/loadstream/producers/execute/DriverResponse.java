package io.loadstream.producers.execute;

import io.loadstream.avro.Outcome;

/**
 * How one request went.
 *
 * @param outcome SUCCESS, HTTP_ERROR, TIMEOUT, CONNECT_ERROR or OTHER (never DROPPED: a dropped
 *     request never reaches a driver)
 * @param statusCode protocol status, 0 when there is none
 * @param latencyNanos from the start of the request to the end of the response (or failure)
 * @param bytesSent request bytes
 * @param bytesReceived response bytes
 * @param error what went wrong, or null
 */
public record DriverResponse(
        Outcome outcome,
        int statusCode,
        long latencyNanos,
        long bytesSent,
        long bytesReceived,
        String error) {}
