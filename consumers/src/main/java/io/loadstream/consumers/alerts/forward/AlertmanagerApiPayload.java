package io.loadstream.consumers.alerts.forward;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * The body of Alertmanager's {@code POST /api/v2/alerts} (its OpenAPI {@code postableAlerts}): an
 * array of alerts, each with {@code labels}, {@code annotations}, {@code startsAt}, {@code endsAt}
 * and {@code generatorURL}, times in RFC 3339.
 */
public final class AlertmanagerApiPayload implements AlertPayload {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AlertmanagerMapping mapping;

    public AlertmanagerApiPayload(AlertmanagerMapping mapping) {
        this.mapping = mapping;
    }

    @Override
    public byte[] body(List<AlertNotice> notices, long nowMs) {
        ArrayNode alerts = JSON.createArrayNode();
        for (AlertNotice notice : notices) {
            ObjectNode alert = alerts.addObject();
            put(alert.putObject("labels"), mapping.labels(notice.alert()));
            put(alert.putObject("annotations"), mapping.annotations(notice));
            alert.put("startsAt", mapping.startsAt(notice).toString());
            alert.put("endsAt", mapping.endsAt(notice, nowMs).toString());
            String generator = mapping.generatorUrl(notice.alert());
            if (generator != null) {
                alert.put("generatorURL", generator);
            }
        }
        try {
            return JSON.writeValueAsBytes(alerts);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write alerts as JSON", e);
        }
    }

    static void put(ObjectNode node, Map<String, String> entries) {
        entries.forEach(node::put);
    }
}
