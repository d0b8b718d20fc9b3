package io.loadstream.e2e;

import io.loadstream.cli.LoadstreamCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code loadstream analyze} in a child JVM on the test's classpath, so that a test can end it the
 * way a crash does: SIGKILL, with no shutdown hook, no close and no last commit. Standard output
 * and error go to a log file.
 *
 * <pre>{@code
 * try (AnalyzeProcess analyze = AnalyzeProcess.start(log, List.of("-b", bootstrap, ...))) {
 *     int exitCode = analyze.kill(); // 137: killed by signal 9
 * }
 * }</pre>
 */
final class AnalyzeProcess implements AutoCloseable {

    /** Exit code of a process that SIGKILL ended: 128 + 9. */
    static final int KILLED = 137;

    private static final long EXIT_TIMEOUT_SECONDS = 30;
    private static final String DEFAULT_MAX_HEAP = "384m";
    private static final Pattern STATE_CHANGE =
            Pattern.compile("^analyze: \\w+ -> (\\w+)$", Pattern.MULTILINE);

    private final Process process;
    private final Path log;

    private AnalyzeProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code loadstream analyze} with {@code options} and a 384 MB heap, writing its output
     * to {@code log}.
     */
    static AnalyzeProcess start(Path log, List<String> options) throws IOException {
        return start(log, DEFAULT_MAX_HEAP, options);
    }

    /** As {@link #start(Path, List)}, with {@code maxHeap} as {@code -Xmx}, for example "256m". */
    static AnalyzeProcess start(Path log, String maxHeap, List<String> options) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + maxHeap);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LoadstreamCommand.class.getName());
        command.add("analyze");
        command.addAll(options);
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(Redirect.appendTo(log.toFile()))
                        .start();
        return new AnalyzeProcess(process, log);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /**
     * Sends SIGKILL ({@link Process#destroyForcibly()} does on Linux and macOS) and waits for the
     * process to end.
     *
     * @return its exit code
     */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("analyze process " + pid() + " survived SIGKILL");
        }
        return process.exitValue();
    }

    /**
     * The state Kafka Streams was last in, from the {@code analyze: BEFORE -> AFTER} lines of the
     * output; empty before the first change.
     */
    Optional<String> lastState() {
        Matcher change = STATE_CHANGE.matcher(output());
        String last = null;
        while (change.find()) {
            last = change.group(1);
        }
        return Optional.ofNullable(last);
    }

    /** What the process has written so far. */
    String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
