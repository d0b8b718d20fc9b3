package io.loadstream.producers.http;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One request template of an HTTP load: what {@link HttpDriver} sends for an endpoint index.
 *
 * @param name endpoint name, as timing events carry it
 * @param method HTTP method, such as {@code GET} (upper-cased)
 * @param url absolute {@code http} or {@code https} URL with a host
 * @param headers request headers; none when null
 * @param body request body; empty when null (the record keeps its own copy)
 * @param timeout the most a request may take, from the moment it is sent (waiting for a pooled
 *     connection included) to the end of the response body
 * @param expectedStatus statuses that count as success; when empty, any 2xx or 3xx does
 */
public record HttpEndpoint(
        String name,
        String method,
        URI url,
        Map<String, String> headers,
        byte[] body,
        Duration timeout,
        Set<Integer> expectedStatus) {

    public HttpEndpoint {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("endpoint name must not be empty");
        }
        if (method == null || !method.matches("[A-Za-z]+")) {
            throw new IllegalArgumentException(
                    "method of '" + name + "' must be a word such as GET, not " + method);
        }
        method = method.toUpperCase(Locale.ROOT);
        Objects.requireNonNull(url, "url");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException(
                    "url of '"
                            + name
                            + "' must be an absolute http(s) URL with a host, not "
                            + url);
        }
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        body = body == null ? new byte[0] : body.clone();
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(
                    "timeout of '" + name + "' must be positive, not " + timeout);
        }
        expectedStatus = expectedStatus == null ? Set.of() : Set.copyOf(expectedStatus);
        for (int status : expectedStatus) {
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException(
                        "expected status of '" + name + "' must be from 100 to 599, not " + status);
            }
        }
    }

    /** A {@code GET} of {@code url} with no headers, success on any 2xx or 3xx. */
    public static HttpEndpoint get(String name, URI url, Duration timeout) {
        return new HttpEndpoint(name, "GET", url, Map.of(), null, timeout, Set.of());
    }

    /** A copy of the request body. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** Whether {@code status} counts as success. */
    public boolean isExpected(int status) {
        return expectedStatus.isEmpty()
                ? status >= 200 && status < 400
                : expectedStatus.contains(status);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HttpEndpoint that
                && name.equals(that.name)
                && method.equals(that.method)
                && url.equals(that.url)
                && headers.equals(that.headers)
                && Arrays.equals(body, that.body)
                && timeout.equals(that.timeout)
                && expectedStatus.equals(that.expectedStatus);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                name, method, url, headers, Arrays.hashCode(body), timeout, expectedStatus);
    }

    @Override
    public String toString() {
        return name
                + " "
                + method
                + " "
                + url
                + " ("
                + body.length
                + " bytes, timeout "
                + timeout
                + ")";
    }

    /** The body itself, for the driver, which does not change it. */
    byte[] bodyBytes() {
        return body;
    }
}
