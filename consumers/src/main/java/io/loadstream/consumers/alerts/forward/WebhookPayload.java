package io.loadstream.consumers.alerts.forward;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The message Alertmanager's webhook receiver sends (version {@code "4"}), for receivers that take
 * Alertmanager notifications without an Alertmanager in front: {@code receiver}, {@code status}
 * ({@code firing} when any alert fires), {@code alerts} (each with status, labels, annotations,
 * startsAt, endsAt, generatorURL and fingerprint), {@code groupLabels}, {@code commonLabels},
 * {@code commonAnnotations}, {@code externalURL}, {@code version}, {@code groupKey} and {@code
 * truncatedAlerts}. A message holds the notices of one transition of one alert, grouped by its
 * rule, run, scenario and endpoint; a firing alert's endsAt is the zero time, as Alertmanager
 * writes it.
 */
public final class WebhookPayload implements AlertPayload {

    /** The receiver name messages carry. */
    public static final String RECEIVER = "loadstream";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";
    private static final List<String> GROUP_LABELS =
            List.of("alertname", "endpoint", "run", "scenario");

    private final AlertmanagerMapping mapping;

    public WebhookPayload(AlertmanagerMapping mapping) {
        this.mapping = mapping;
    }

    @Override
    public byte[] body(List<AlertNotice> notices, long nowMs) {
        if (notices.isEmpty()) {
            throw new IllegalArgumentException("a webhook message needs at least one alert");
        }
        ObjectNode message = JSON.createObjectNode();
        message.put("receiver", RECEIVER);
        message.put(
                "status",
                notices.stream().allMatch(AlertNotice::isResolved) ? "resolved" : "firing");
        List<Map<String, String>> labels =
                notices.stream().map(n -> mapping.labels(n.alert())).toList();
        List<Map<String, String>> annotations = notices.stream().map(mapping::annotations).toList();
        var alerts = message.putArray("alerts");
        for (int i = 0; i < notices.size(); i++) {
            AlertNotice notice = notices.get(i);
            ObjectNode alert = alerts.addObject();
            alert.put("status", notice.isResolved() ? "resolved" : "firing");
            AlertmanagerApiPayload.put(alert.putObject("labels"), labels.get(i));
            AlertmanagerApiPayload.put(alert.putObject("annotations"), annotations.get(i));
            alert.put("startsAt", mapping.startsAt(notice).toString());
            alert.put(
                    "endsAt",
                    notice.isResolved() ? mapping.endsAt(notice, nowMs).toString() : ZERO_TIME);
            String generator = mapping.generatorUrl(notice.alert());
            alert.put("generatorURL", generator == null ? "" : generator);
            alert.put("fingerprint", LabelFingerprint.of(labels.get(i)));
        }
        Map<String, String> groupLabels = groupLabels(labels.get(0));
        AlertmanagerApiPayload.put(message.putObject("groupLabels"), groupLabels);
        AlertmanagerApiPayload.put(message.putObject("commonLabels"), common(labels));
        AlertmanagerApiPayload.put(message.putObject("commonAnnotations"), common(annotations));
        message.put("externalURL", "");
        message.put("version", "4");
        message.put("groupKey", "{}:" + labelSet(groupLabels));
        message.put("truncatedAlerts", 0);
        try {
            return JSON.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the webhook message as JSON", e);
        }
    }

    private static Map<String, String> groupLabels(Map<String, String> labels) {
        Map<String, String> group = new TreeMap<>();
        GROUP_LABELS.forEach(name -> group.put(name, labels.get(name)));
        return group;
    }

    /** The entries every map has with the same value. */
    private static Map<String, String> common(List<Map<String, String>> maps) {
        Map<String, String> common = new HashMap<>(maps.get(0));
        maps.forEach(
                map -> common.entrySet().removeIf(e -> !e.getValue().equals(map.get(e.getKey()))));
        return new TreeMap<>(common);
    }

    /** {@code {alertname="x", run="y"}}, as Alertmanager writes a label set in a group key. */
    static String labelSet(Map<String, String> labels) {
        return labels.entrySet().stream()
                .map(
                        e ->
                                e.getKey()
                                        + "=\""
                                        + e.getValue().replace("\\", "\\\\").replace("\"", "\\\"")
                                        + "\"")
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
