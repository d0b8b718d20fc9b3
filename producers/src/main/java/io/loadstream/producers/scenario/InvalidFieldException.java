package io.loadstream.producers.scenario;

/**
 * A scenario value that breaks a rule, thrown by the config classes' constructors. Names the field
 * relative to the object that checks it ({@code target}, {@code stages[1].target}), so that {@link
 * ScenarioLoader} can put the file, line and full path in front.
 */
public final class InvalidFieldException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final String reason;

    /**
     * @param field the field, relative to the object being built
     * @param reason what is wrong, e.g. {@code must be greater than 0}
     */
    public InvalidFieldException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
        this.reason = reason;
    }

    /** The field, relative to the object that rejected it. */
    public String field() {
        return field;
    }

    /** What is wrong with it. */
    public String reason() {
        return reason;
    }
}
