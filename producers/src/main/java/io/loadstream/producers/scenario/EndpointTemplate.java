package io.loadstream.producers.scenario;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.loadstream.schemas.config.Durations;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One kind of request a scenario makes. Each request goes to an endpoint picked at random in
 * proportion to the weights. Variables such as {@code ${target}} are already replaced when a
 * template is built by {@link ScenarioLoader}.
 *
 * <pre>{@code
 * - name: checkout
 *   method: POST
 *   url: ${target}/checkout
 *   headers: {Content-Type: application/json}
 *   body: '{"cart": "c-42"}'
 *   weight: 1
 *   expectStatus: [200, 201]
 * }</pre>
 *
 * @param name what the endpoint is called in results; unique within a scenario
 * @param method HTTP method (default GET)
 * @param url absolute http or https URL
 * @param headers request headers (default none)
 * @param body request body, or null for none
 * @param weight relative share of the requests (default 1)
 * @param timeout how long a request may take before it counts as a timeout (default 10s)
 * @param expectStatus statuses that count as success; empty means any 2xx or 3xx
 */
public record EndpointTemplate(
        String name,
        String method,
        String url,
        Map<String, String> headers,
        String body,
        Double weight,
        @JsonDeserialize(using = Durations.Deserializer.class) Duration timeout,
        List<Integer> expectStatus) {

    /** Timeout of a request when the file gives none. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final Set<String> METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    public EndpointTemplate {
        name = FieldChecks.requiredText(name, "name");
        method = method == null ? "GET" : method.strip().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw new InvalidFieldException(
                    "method", "'" + method + "' is not one of " + String.join(", ", METHODS));
        }
        url = checkUrl(FieldChecks.requiredText(url, "url"));
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        weight = FieldChecks.positive(weight == null ? 1.0 : weight, "weight");
        timeout = FieldChecks.positive(timeout == null ? DEFAULT_TIMEOUT : timeout, "timeout");
        expectStatus = expectStatus == null ? List.of() : List.copyOf(expectStatus);
        for (int i = 0; i < expectStatus.size(); i++) {
            if (expectStatus.get(i) < 100 || expectStatus.get(i) > 599) {
                throw new InvalidFieldException(
                        "expectStatus[" + i + "]",
                        "must be an HTTP status from 100 to 599, not " + expectStatus.get(i));
            }
        }
    }

    /** Whether a response with {@code status} counts as a success. */
    public boolean isSuccess(int status) {
        return expectStatus.isEmpty()
                ? status >= 200 && status < 400
                : expectStatus.contains(status);
    }

    private static String checkUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidFieldException("url", "'" + url + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidFieldException(
                    "url", "'" + url + "' must start with http:// or https://");
        }
        if (uri.getHost() == null) {
            throw new InvalidFieldException("url", "'" + url + "' has no host");
        }
        return url;
    }
}
