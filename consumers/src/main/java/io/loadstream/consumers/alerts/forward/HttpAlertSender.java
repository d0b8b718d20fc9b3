package io.loadstream.consumers.alerts.forward;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Posts notices as JSON to an HTTP receiver with the JDK's client: Alertmanager's {@code
 * /api/v2/alerts} ({@link #alertmanager}) or a webhook URL ({@link #webhook}). Every answer and
 * every failure to get one is a {@link Delivery}; nothing is thrown.
 */
public final class HttpAlertSender implements AlertSender {

    /** Path of Alertmanager's alerts API under its base URL. */
    public static final String ALERTMANAGER_ALERTS_PATH = "/api/v2/alerts";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_DETAIL = 300;

    private final HttpClient client;
    private final URI uri;
    private final String receiver;
    private final AlertPayload payload;
    private final LongSupplier wallClock;

    HttpAlertSender(URI uri, String receiver, AlertPayload payload, LongSupplier wallClock) {
        this.client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        this.uri = uri;
        this.receiver = receiver;
        this.payload = payload;
        this.wallClock = wallClock;
    }

    /** A sender to the Alertmanager at {@code baseUrl} ({@code http://host:9093}). */
    public static HttpAlertSender alertmanager(
            String baseUrl, AlertmanagerMapping mapping, LongSupplier wallClock) {
        checkedUri(baseUrl, "--alertmanager-url");
        String base = trimSlash(baseUrl);
        String url =
                base.endsWith(ALERTMANAGER_ALERTS_PATH) ? base : base + ALERTMANAGER_ALERTS_PATH;
        return new HttpAlertSender(
                URI.create(url),
                "Alertmanager at " + url,
                new AlertmanagerApiPayload(mapping),
                wallClock);
    }

    /** A sender of Alertmanager webhook messages to {@code url}. */
    public static HttpAlertSender webhook(
            String url, AlertmanagerMapping mapping, LongSupplier wallClock) {
        return new HttpAlertSender(
                checkedUri(url, "--webhook-url"),
                "webhook " + url,
                new WebhookPayload(mapping),
                wallClock);
    }

    @Override
    public Delivery send(List<AlertNotice> notices) {
        HttpRequest request =
                HttpRequest.newBuilder(uri)
                        .timeout(REQUEST_TIMEOUT)
                        .header("Content-Type", "application/json")
                        .POST(
                                HttpRequest.BodyPublishers.ofByteArray(
                                        payload.body(notices, wallClock.getAsLong())))
                        .build();
        try {
            HttpResponse<String> response =
                    client.send(request, HttpResponse.BodyHandlers.ofString());
            String detail =
                    "HTTP " + response.statusCode() + " from " + receiver + answer(response.body());
            return new Delivery(Delivery.ofStatus(response.statusCode()), detail);
        } catch (HttpTimeoutException e) {
            return Delivery.retry(
                    "no answer from " + receiver + " within the timeout: " + e.getMessage());
        } catch (IOException e) {
            return Delivery.retry("cannot reach " + receiver + ": " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Delivery.retry("interrupted while posting to " + receiver);
        }
    }

    @Override
    public String receiver() {
        return receiver;
    }

    private static String answer(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String text = body.strip();
        return ": " + (text.length() > MAX_DETAIL ? text.substring(0, MAX_DETAIL) + "..." : text);
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        if (message == null && e.getCause() != null) {
            message = e.getCause().toString();
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static URI checkedUri(String url, String option) {
        try {
            URI uri = URI.create(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("not http or https");
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("no host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    option
                            + " must be an http:// or https:// URL, not '"
                            + url
                            + "' ("
                            + e.getMessage()
                            + ")",
                    e);
        }
    }
}
