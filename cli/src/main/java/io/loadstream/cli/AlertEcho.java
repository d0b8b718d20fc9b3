package io.loadstream.cli;

import io.loadstream.avro.AlertLevel;
import io.loadstream.consumers.alerts.AlertFilter;
import io.loadstream.consumers.alerts.AlertTail;
import io.loadstream.schemas.config.ClientConfig;
import io.loadstream.schemas.serde.AvroSerdes;
import io.loadstream.schemas.topic.Topics;
import java.time.Duration;

/**
 * Prints the alert transitions of one run (firing, level changes, resolved) as they arrive, on a
 * thread of its own, from the end of {@code alerts} as it is when started: {@code demo} shows its
 * alerts beside its windows this way.
 */
final class AlertEcho implements AutoCloseable {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final AlertTail tail;
    private final Thread thread;
    private volatile boolean stopped;

    private AlertEcho(AlertTail tail) {
        this.tail = tail;
        this.thread = new Thread(() -> tail.run(() -> stopped, AlertEcho::print), "alert-echo");
        thread.setDaemon(true);
    }

    /** Starts echoing the alerts of {@code runId}. */
    static AlertEcho start(ClientConfig config, AvroSerdes serdes, Topics topics, String runId) {
        AlertTail tail =
                AlertTail.open(
                                config,
                                serdes,
                                topics.alerts(),
                                AlertFilter.of(runId, AlertLevel.WARNING),
                                false)
                        .start();
        AlertEcho echo = new AlertEcho(tail);
        echo.thread.start();
        return echo;
    }

    private static void print(String line) {
        Console.info("alert " + line);
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(STOP_TIMEOUT.toMillis());
        if (!thread.isAlive()) {
            tail.close();
        }
    }
}
