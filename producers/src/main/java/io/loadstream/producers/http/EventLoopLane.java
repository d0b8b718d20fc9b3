package io.loadstream.producers.http;

import io.vertx.core.internal.ContextInternal;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The way from threads outside Vert.x (an open-model schedule, a warm-up) onto one event loop:
 * exchanges handed over wait in a queue, and the event loop is woken once for all that arrived
 * while it was busy, not once per exchange. They start on the loop's own context, in the order they
 * came, so that the client and its timers find a context there instead of making one per request.
 */
final class EventLoopLane {

    private final ContextInternal context;
    private final Consumer<HttpExchange> start;
    private final Queue<HttpExchange> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean woken = new AtomicBoolean();

    /**
     * @param context an event-loop context of the driver's Vert.x
     * @param start starts an exchange; called on the event loop
     */
    EventLoopLane(ContextInternal context, Consumer<HttpExchange> start) {
        this.context = context;
        this.start = start;
    }

    /** Starts {@code exchange} on the event loop, soon. Safe from any thread. */
    void submit(HttpExchange exchange) {
        waiting.add(exchange);
        if (woken.compareAndSet(false, true)) {
            context.runOnContext(ignored -> drain());
        }
    }

    private void drain() {
        // cleared first: an exchange added after the last poll below wakes the loop again
        woken.set(false);
        for (HttpExchange exchange = waiting.poll(); exchange != null; exchange = waiting.poll()) {
            start.accept(exchange);
        }
    }
}
