package io.loadstream.producers.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.avro.Outcome;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The gate lets in no more exchanges than connections, in the order sent, and expires waiters. */
class ConnectionGateTest {

    private static final PreparedRequest REQUEST =
            PreparedRequest.of(
                    HttpEndpoint.get(
                            "a", URI.create("http://127.0.0.1:1/a"), Duration.ofMillis(100)));

    private final long[] nanos = {0};
    private final List<HttpExchange> started = new ArrayList<>();

    @Test
    void shouldLetInAsManyAsConnectionsAndTheRestInTurnAsConnectionsFree() {
        ConnectionGate gate = new ConnectionGate(2, started::add);
        List<HttpExchange> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(exchange());
        }
        sent.forEach(gate::enter);

        assertThat(started).containsExactly(sent.get(0), sent.get(1));

        gate.leave(sent.get(1));
        gate.leave(sent.get(0));

        assertThat(started).containsExactly(sent.get(0), sent.get(1), sent.get(2), sent.get(3));
    }

    @Test
    void shouldAnswerTimeoutWithoutSendingAnExchangeWhoseTimeoutPassedWhileItWaited()
            throws Exception {
        ConnectionGate gate = new ConnectionGate(1, started::add);
        HttpExchange first = exchange();
        HttpExchange late = exchange();
        gate.enter(first);
        gate.enter(late);

        nanos[0] = Duration.ofMillis(150).toNanos();
        HttpExchange next = exchange();
        gate.enter(next);
        gate.leave(first);

        assertThat(started).containsExactly(first, next);
        assertThat(late.answer()).isDone();
        assertThat(late.answer().get().outcome()).isEqualTo(Outcome.TIMEOUT);
        assertThat(late.answer().get().latencyNanos()).isEqualTo(Duration.ofMillis(150).toNanos());
    }

    @Test
    void shouldNeverLetInMoreThanItsConnectionsFromManyThreads() throws Exception {
        int connections = 3;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        Queue<HttpExchange> admitted = new ConcurrentLinkedQueue<>();
        ConnectionGate[] gate = new ConnectionGate[1];
        gate[0] =
                new ConnectionGate(
                        connections,
                        exchange -> {
                            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            admitted.add(exchange);
                        });
        int perThread = 5_000;
        ExecutorService threads = Executors.newFixedThreadPool(4);
        CountDownLatch finished = new CountDownLatch(4);
        for (int t = 0; t < 4; t++) {
            threads.execute(
                    () -> {
                        for (int i = 0; i < perThread; i++) {
                            gate[0].enter(exchange());
                            // answer whatever was let in, as event loops would
                            HttpExchange in = admitted.poll();
                            if (in != null) {
                                inside.decrementAndGet();
                                done.incrementAndGet();
                                gate[0].leave(in);
                            }
                        }
                        finished.countDown();
                    });
        }
        assertThat(finished.await(30, TimeUnit.SECONDS)).isTrue();
        // drain what is left
        for (HttpExchange in = admitted.poll(); in != null; in = admitted.poll()) {
            inside.decrementAndGet();
            done.incrementAndGet();
            gate[0].leave(in);
        }
        threads.shutdown();

        assertThat(most.get()).isLessThanOrEqualTo(connections);
        assertThat(done.get()).isEqualTo(4 * perThread);
    }

    private HttpExchange exchange() {
        return new HttpExchange(null, REQUEST, () -> nanos[0], exchange -> {});
    }
}
