package io.loadstream.producers.scenario;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a scenario tests for; written in lowercase in scenario files. */
public enum ScenarioType {
    /** Expected traffic, to check latency and errors against their budget. */
    LOAD("load"),
    /** Rising traffic until the service breaks, to find where. */
    STRESS("stress"),
    /** A sudden burst well above normal traffic, and the recovery after it. */
    SPIKE("spike"),
    /** Normal traffic held for hours, to find leaks and slow drift. */
    SOAK("soak"),
    /** Large requests or data volumes at a high rate. */
    VOLUME("volume"),
    /** Long sessions of a fixed number of users, to find wear that builds up per session. */
    ENDURANCE("endurance");

    private final String id;

    ScenarioType(String id) {
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
     * The type named {@code id}, ignoring case.
     *
     * @throws IllegalArgumentException listing the valid names when there is none
     */
    public static ScenarioType of(String id) {
        return EnumIds.find(ScenarioType.class, id, "scenario type");
    }
}
