package io.loadstream.consumers.alerts.forward;

import static io.loadstream.consumers.alerts.TestAlerts.T0;
import static io.loadstream.consumers.alerts.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadstream.avro.Alert;
import io.loadstream.avro.AlertLevel;
import io.loadstream.avro.AlertState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertmanagerPayloadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long NOW = T0 + 10_000;

    private final AlertmanagerMapping mapping =
            new AlertmanagerMapping(Duration.ofMinutes(4), "http://loadstream.example/alerts");

    @Test
    void shouldPostFiringAlertsWithLabelsAnnotationsAndAnEndAtTheResendMargin() throws Exception {
        Alert firing =
                alert("checkout", AlertState.FIRING, AlertLevel.CRITICAL, 2, T0 + 2_000).build();

        JsonNode posted = post(List.of(AlertNotice.firing(firing)));

        assertThat(posted.isArray()).isTrue();
        JsonNode alert = posted.get(0);
        assertThat(JSON.convertValue(alert.get("labels"), Map.class))
                .isEqualTo(
                        Map.of(
                                "alertname", "p99-checkout",
                                "run", "r1",
                                "scenario", "shop",
                                "endpoint", "checkout",
                                "metric", "p99",
                                "severity", "critical",
                                "team", "payments"));
        assertThat(alert.get("annotations").get("summary").asText())
                .isEqualTo("critical: p99 812 ms > 500 ms on checkout of run r1 (shop)");
        assertThat(alert.get("annotations").get("value").asText()).isEqualTo("812 ms");
        assertThat(alert.get("annotations").get("threshold").asText()).isEqualTo("500 ms");
        assertThat(alert.get("annotations").get("runbook").asText())
                .isEqualTo("https://runbooks.example/p99");
        assertThat(alert.get("startsAt").asText()).isEqualTo(Instant.ofEpochMilli(T0).toString());
        assertThat(Instant.parse(alert.get("endsAt").asText()))
                .isEqualTo(Instant.ofEpochMilli(NOW).plus(Duration.ofMinutes(4)));
        assertThat(alert.get("generatorURL").asText())
                .isEqualTo(
                        "http://loadstream.example/alerts?rule=p99-checkout&run=r1&scenario=shop&endpoint=checkout");
    }

    @Test
    void shouldEndResolvedAlertsAtTheirResolveTime() throws Exception {
        Alert resolved =
                alert("checkout", AlertState.RESOLVED, AlertLevel.CRITICAL, 3, T0 + 5_000).build();

        JsonNode alert =
                post(List.of(AlertNotice.resolved(resolved, resolved.getSinceMs()))).get(0);

        assertThat(Instant.parse(alert.get("endsAt").asText()))
                .isEqualTo(Instant.ofEpochMilli(T0 + 6_000));
        assertThat(alert.get("annotations").get("summary").asText())
                .startsWith("resolved: p99 240 ms < 250 ms");
        assertThat(alert.get("labels").get("severity").asText()).isEqualTo("critical");
    }

    @Test
    void shouldNotLetRuleLabelsReplaceTheLabelsThatIdentifyTheAlert() {
        Alert alert =
                alert("checkout", AlertState.FIRING, AlertLevel.WARNING, 1, T0)
                        .setLabels(Map.of("run", "other", "alertname", "x", "team", "web"))
                        .build();

        assertThat(mapping.labels(alert))
                .containsEntry("run", "r1")
                .containsEntry("alertname", "p99-checkout")
                .containsEntry("severity", "warning")
                .containsEntry("team", "web");
    }

    @Test
    void shouldNeverEndBeforeTheStartWhenWindowTimeIsAheadOfTheClock() {
        Alert ahead =
                alert("checkout", AlertState.FIRING, AlertLevel.CRITICAL, 1, T0)
                        .setActiveSinceMs(NOW + 60_000)
                        .build();

        assertThat(mapping.endsAt(AlertNotice.firing(ahead), NOW))
                .isEqualTo(Instant.ofEpochMilli(NOW + 60_000).plus(Duration.ofMinutes(4)));
    }

    @Test
    void shouldWriteWebhookMessagesAsAlertmanagerVersion4() throws Exception {
        Alert warning = alert("checkout", AlertState.FIRING, AlertLevel.WARNING, 2, T0).build();
        Alert critical =
                alert("checkout", AlertState.FIRING, AlertLevel.CRITICAL, 3, T0 + 1_000).build();

        JsonNode message =
                JSON.readTree(
                        new WebhookPayload(mapping)
                                .body(
                                        List.of(
                                                AlertNotice.resolved(
                                                        warning, critical.getSinceMs()),
                                                AlertNotice.firing(critical)),
                                        NOW));

        assertThat(message.get("version").asText()).isEqualTo("4");
        assertThat(message.get("status").asText()).isEqualTo("firing");
        assertThat(message.get("receiver").asText()).isEqualTo("loadstream");
        assertThat(message.get("groupKey").asText())
                .isEqualTo(
                        "{}:{alertname=\"p99-checkout\", endpoint=\"checkout\", run=\"r1\","
                                + " scenario=\"shop\"}");
        assertThat(message.get("alerts")).hasSize(2);
        assertThat(message.get("alerts").get(0).get("status").asText()).isEqualTo("resolved");
        assertThat(message.get("alerts").get(0).get("labels").get("severity").asText())
                .isEqualTo("warning");
        assertThat(message.get("alerts").get(1).get("endsAt").asText())
                .isEqualTo("0001-01-01T00:00:00Z");
        assertThat(message.get("alerts").get(1).get("fingerprint").asText())
                .isEqualTo(LabelFingerprint.of(mapping.labels(critical)))
                .isNotEqualTo(message.get("alerts").get(0).get("fingerprint").asText());
        // the severity differs, so it is not common to both
        assertThat(message.get("commonLabels").has("severity")).isFalse();
        assertThat(message.get("commonLabels").get("team").asText()).isEqualTo("payments");
        assertThat(message.get("truncatedAlerts").asInt()).isZero();
    }

    @Test
    void shouldFingerprintLabelsAsPrometheusDoes() {
        // FNV-1a 64 of "a" 0xff "b" 0xff, independent of the order the labels are given in
        assertThat(LabelFingerprint.of(Map.of("a", "b")))
                .isEqualTo(String.format("%016x", fnv("a\u00ffb\u00ff")))
                .hasSize(16);
        assertThat(LabelFingerprint.of(Map.of("x", "1", "a", "2")))
                .isEqualTo(
                        LabelFingerprint.of(new java.util.TreeMap<>(Map.of("a", "2", "x", "1"))));
    }

    private JsonNode post(List<AlertNotice> notices) throws Exception {
        return JSON.readTree(new AlertmanagerApiPayload(mapping).body(notices, NOW));
    }

    /** FNV-1a 64 over ISO-8859-1 bytes, written out independently of the class under test. */
    private static long fnv(String text) {
        long hash = 0xcbf29ce484222325L;
        for (char c : text.toCharArray()) {
            hash ^= c & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
