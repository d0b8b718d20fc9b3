package io.loadstream.producers.http;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Lets at most as many HTTP/1.1 exchanges to one host and port into the client at once as the pool
 * has connections there; the others wait here, in the order they were sent, and each starts on the
 * event loop of the answer that frees a connection. So the client's own pool never holds a queue
 * (in which every waiting request cost a Vert.x context of its own, and a run that fell behind at
 * its start stayed behind), and a waiting exchange whose timeout has passed is answered TIMEOUT
 * when its turn comes instead of being sent.
 */
final class ConnectionGate {

    private final AtomicInteger free;
    private final Queue<HttpExchange> waiting = new ConcurrentLinkedQueue<>();
    private final Consumer<HttpExchange> start;

    /**
     * @param connections exchanges let in at once
     * @param start starts an exchange that was let in; called on the sending thread or on an event
     *     loop
     */
    ConnectionGate(int connections, Consumer<HttpExchange> start) {
        this.free = new AtomicInteger(connections);
        this.start = start;
    }

    /** Starts {@code exchange} now if a connection is free, or once one is. Any thread. */
    void enter(HttpExchange exchange) {
        if (tryTake()) {
            letIn(exchange);
            return;
        }
        waiting.add(exchange);
        // a connection freed between the failed take and the add above finds nobody waiting
        if (tryTake()) {
            letInNextOrGiveBack();
        }
    }

    /** The connection {@code exchange} held is free again: the next waiting exchange gets it. */
    void leave(HttpExchange exchange) {
        letInNextOrGiveBack();
    }

    private void letInNextOrGiveBack() {
        for (HttpExchange next = waiting.poll(); next != null; next = waiting.poll()) {
            if (!next.expireIfDue()) {
                letIn(next);
                return;
            }
        }
        free.incrementAndGet();
        if (!waiting.isEmpty() && tryTake()) {
            letInNextOrGiveBack();
        }
    }

    private void letIn(HttpExchange exchange) {
        exchange.holdConnection(this);
        start.accept(exchange);
    }

    private boolean tryTake() {
        for (int n = free.get(); n > 0; n = free.get()) {
            if (free.compareAndSet(n, n - 1)) {
                return true;
            }
        }
        return false;
    }
}
