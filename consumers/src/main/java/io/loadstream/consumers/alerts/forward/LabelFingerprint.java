package io.loadstream.consumers.alerts.forward;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fingerprint by which Prometheus and Alertmanager identify an alert: a 64-bit FNV-1a hash of
 * its label names and values in name order, each followed by the byte 255, written as 16 hex
 * digits. Alertmanager's webhook messages carry it; its API returns it for every alert.
 */
public final class LabelFingerprint {

    private static final long OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;
    private static final byte SEPARATOR = (byte) 0xff;

    private LabelFingerprint() {}

    /** The fingerprint of {@code labels}, for example {@code "5f0a3c2b9d1e4f60"}. */
    public static String of(Map<String, String> labels) {
        long hash = OFFSET_BASIS;
        for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
            hash = add(hash, label.getKey());
            hash = add(hash, SEPARATOR);
            hash = add(hash, label.getValue());
            hash = add(hash, SEPARATOR);
        }
        return String.format("%016x", hash);
    }

    private static long add(long hash, String text) {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash = add(hash, b);
        }
        return hash;
    }

    private static long add(long hash, byte b) {
        return (hash ^ (b & 0xff)) * PRIME;
    }
}
