package io.loadstream.producers.scenario;

/**
 * A scenario file that cannot be used, with where and why: {@code scenarios/spike.yaml:14:11:
 * executor.stages[1].target: must be 0 or more, not -50}. Rules files, which share the scenario
 * files' YAML conventions, report their mistakes with it too. An {@link IllegalArgumentException},
 * so that the command line reports it as bad input, in one line.
 */
public final class ScenarioException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;
    private final String path;
    private final String reason;

    /**
     * @param source the file, as the user named it
     * @param line line of the problem, from 1; 0 when unknown
     * @param column column of the problem, from 1; 0 when unknown
     * @param path the field, such as {@code executor.stages[1].target}; empty for the whole file
     * @param reason what is wrong
     */
    public ScenarioException(String source, int line, int column, String path, String reason) {
        this(source, line, column, path, reason, null);
    }

    public ScenarioException(
            String source, int line, int column, String path, String reason, Throwable cause) {
        super(format(source, line, column, path, reason), cause);
        this.source = source;
        this.line = line;
        this.column = column;
        this.path = path == null ? "" : path;
        this.reason = reason;
    }

    /** The file, as the user named it. */
    public String source() {
        return source;
    }

    /** The line of the problem, from 1; 0 when unknown. */
    public int line() {
        return line;
    }

    /** The column of the problem, from 1; 0 when unknown. */
    public int column() {
        return column;
    }

    /** The field, such as {@code executor.stages[1].target}; empty for the whole file. */
    public String path() {
        return path;
    }

    /** What is wrong, without the place. */
    public String reason() {
        return reason;
    }

    private static String format(String source, int line, int column, String path, String reason) {
        StringBuilder text = new StringBuilder(source);
        if (line > 0) {
            text.append(':').append(line);
            if (column > 0) {
                text.append(':').append(column);
            }
        }
        text.append(": ");
        if (path != null && !path.isEmpty()) {
            text.append(path).append(": ");
        }
        return text.append(reason).toString();
    }
}
