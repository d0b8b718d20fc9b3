package io.loadstream.e2e;

import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.SeriesKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One run of timing events at a fixed rate from every generator to every endpoint, published as a
 * generator's publisher does (keyed by series, timestamped with the intended send time, through the
 * producer config it is given: idempotent with {@code acks=all} from {@code
 * ClientConfig.producer()}), counting per endpoint the events the broker acknowledged.
 *
 * <p>Event {@code n} of every series is due at {@code start + n * interval} and sent on the first
 * 10 ms tick at or after that, so its intended send time is now; its latency is a fixed function of
 * {@code n} and the endpoint. After its last event every series gets its generator's end marker,
 * which closes the run in analyze as soon as every generator of it has ended.
 */
final class AcknowledgedLoad implements AutoCloseable {

    private static final long TICK_MS = 10;

    private final Producer<SeriesKey, RequestTiming> producer;
    private final String topic;
    private final List<String> endpoints;
    private final List<SeriesKey> series = new ArrayList<>();
    private final long intervalUs;
    private final long eventsPerSeries;
    private final int generators;
    private final long startUs = System.currentTimeMillis() * 1000;
    private final Map<String, LongAdder> acknowledged = new ConcurrentHashMap<>();
    private final LongAdder failed = new LongAdder();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final ScheduledExecutorService ticker =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread thread = new Thread(r, "acknowledged-load");
                        thread.setDaemon(true);
                        return thread;
                    });

    /** Index of the next event of every series; used by the ticker thread only. */
    private long next;

    private AcknowledgedLoad(
            Producer<SeriesKey, RequestTiming> producer,
            String topic,
            String runId,
            List<String> endpoints,
            List<String> generators,
            int eventsPerSecondPerSeries,
            Duration duration) {
        this.producer = producer;
        this.topic = topic;
        this.endpoints = List.copyOf(endpoints);
        for (String endpoint : endpoints) {
            acknowledged.put(endpoint, new LongAdder());
            for (String generator : generators) {
                series.add(new SeriesKey(runId, "crash", endpoint, generator));
            }
        }
        this.generators = generators.size();
        this.intervalUs = 1_000_000L / eventsPerSecondPerSeries;
        this.eventsPerSeries = duration.toNanos() / 1000 / intervalUs;
    }

    /** Starts publishing {@code duration} of events now. */
    static AcknowledgedLoad start(
            Map<String, Object> producerConfig,
            Serializer<SeriesKey> keys,
            Serializer<RequestTiming> values,
            String topic,
            String runId,
            List<String> endpoints,
            List<String> generators,
            int eventsPerSecondPerSeries,
            Duration duration) {
        AcknowledgedLoad load =
                new AcknowledgedLoad(
                        new KafkaProducer<>(producerConfig, keys, values),
                        topic,
                        runId,
                        endpoints,
                        generators,
                        eventsPerSecondPerSeries,
                        duration);
        load.ticker.scheduleAtFixedRate(load::tick, 0, TICK_MS, TimeUnit.MILLISECONDS);
        return load;
    }

    private void tick() {
        try {
            long nowUs = System.currentTimeMillis() * 1000;
            while (next < eventsPerSeries && startUs + next * intervalUs <= nowUs) {
                for (SeriesKey key : series) {
                    send(key, timing(key, next, startUs + next * intervalUs));
                }
                next++;
            }
            if (next == eventsPerSeries) {
                // as a generator does after its last event: the run closes once all have ended
                for (SeriesKey key : series) {
                    producer.send(
                            new ProducerRecord<>(
                                    topic, null, nowUs / 1000, key, endMarker(key, nowUs)));
                }
                producer.flush();
                done.complete(null);
                ticker.shutdown();
            }
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
            ticker.shutdown();
        }
    }

    private void send(SeriesKey key, RequestTiming timing) {
        LongAdder endpointAcks = acknowledged.get(key.getEndpoint());
        producer.send(
                new ProducerRecord<>(
                        topic, null, timing.getIntendedSendTimeUs() / 1000, key, timing),
                (metadata, exception) -> {
                    if (exception == null) {
                        endpointAcks.increment();
                    } else {
                        failed.increment();
                        firstFailure.compareAndSet(null, exception.toString());
                    }
                });
    }

    private RequestTiming timing(SeriesKey key, long n, long intendedUs) {
        long latencyUs = 1_000L * (1 + endpoints.indexOf(key.getEndpoint())) + 10 * (n % 100);
        return RequestTiming.newBuilder()
                .setRunId(key.getRunId())
                .setScenario(key.getScenario())
                .setEndpoint(key.getEndpoint())
                .setGeneratorId(key.getGeneratorId())
                .setIntendedSendTimeUs(intendedUs)
                .setActualSendTimeUs(intendedUs)
                .setLatencyUs(latencyUs)
                .setOutcome(Outcome.SUCCESS)
                .setStatusCode(200)
                .setTags(Map.of())
                .build();
    }

    /** A generator's end marker for {@code key}, which the run's generators all send. */
    private RequestTiming endMarker(SeriesKey key, long nowUs) {
        RequestTiming marker = timing(key, 0, nowUs);
        marker.setLatencyUs(0);
        marker.setRunEnd(true);
        marker.setGenerators(generators);
        return marker;
    }

    /** Waits until every event has been sent and acknowledged or failed. */
    void awaitEnd(Duration timeout) throws Exception {
        done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Events of {@code endpoint} the broker has acknowledged so far. */
    long acknowledged(String endpoint) {
        return acknowledged.get(endpoint).sum();
    }

    long acknowledgedTotal() {
        return acknowledged.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Events the whole run publishes to each endpoint. */
    long eventsPerEndpoint() {
        return eventsPerSeries * series.size() / endpoints.size();
    }

    long failed() {
        return failed.sum();
    }

    Optional<String> firstFailure() {
        return Optional.ofNullable(firstFailure.get());
    }

    /** Intended send time of the first event, in milliseconds since the epoch. */
    long firstIntendedMs() {
        return startUs / 1000;
    }

    /** Intended send time of the last event, in milliseconds since the epoch. */
    long lastIntendedMs() {
        return (startUs + (eventsPerSeries - 1) * intervalUs) / 1000;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        producer.close(Duration.ofSeconds(10));
    }
}
