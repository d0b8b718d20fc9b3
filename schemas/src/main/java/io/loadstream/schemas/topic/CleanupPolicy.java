package io.loadstream.schemas.topic;

import java.util.Locale;
import org.apache.kafka.common.config.TopicConfig;

/** A topic's {@code cleanup.policy}. */
public enum CleanupPolicy {
    /** Segments are deleted after the retention time: event streams. */
    DELETE(TopicConfig.CLEANUP_POLICY_DELETE),
    /** The latest value of every key is kept: results and state, the system of record. */
    COMPACT(TopicConfig.CLEANUP_POLICY_COMPACT);

    private final String config;

    CleanupPolicy(String config) {
        this.config = config;
    }

    /** The value of the {@code cleanup.policy} topic config. */
    public String config() {
        return config;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
