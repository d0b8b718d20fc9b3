package io.loadstream.producers.scenario;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How much is at stake when a scenario fails, and so how hard it hits the target; written in
 * lowercase in scenario files. Lets a suite run only the gentle scenarios on every commit and the
 * heavy ones at night.
 */
public enum ScenarioSeverity {
    /** Light traffic, safe to run anywhere, any time. */
    LOW("low"),
    /** Normal traffic. */
    MEDIUM("medium"),
    /** Traffic that may degrade the target while it runs. */
    HIGH("high"),
    /** Traffic meant to break the target: only against a dedicated environment. */
    CRITICAL("critical");

    private final String id;

    ScenarioSeverity(String id) {
        this.id = id;
    }

    /** The name used in scenario files and on the command line. */
    @JsonValue
    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return id;
    }

    /**
     * The severity named {@code id}, ignoring case.
     *
     * @throws IllegalArgumentException listing the valid names when there is none
     */
    public static ScenarioSeverity of(String id) {
        return EnumIds.find(ScenarioSeverity.class, id, "severity");
    }
}
