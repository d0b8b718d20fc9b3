package io.loadstream.bench.preload;

import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.SeriesKey;
import io.loadstream.bench.BenchConnection;
import io.loadstream.cli.LoadstreamCommand;
import io.loadstream.producers.synthetic.LatencyProfile;
import io.loadstream.schemas.topic.Topic;
import io.loadstream.schemas.topic.TopicSetup;
import io.loadstream.schemas.topic.Topics;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Writes a finished run's raw timing events to the timings topic as fast as the producer takes
 * them, so that a benchmark can then measure how fast they are read. Creates the pipeline's missing
 * topics first (every topic, so {@code analyze} finds its output topics). Events are made by {@link
 * TimingMix}, in the order they were due, keyed by run, scenario, endpoint and generator, with the
 * intended send time as record timestamp, as {@code generate} publishes them.
 *
 * <p>Progress goes to standard error once a second; the results to standard output as {@code name
 * value} lines: {@code run-id}, {@code topic}, {@code produced}, {@code seconds}, {@code rate}.
 */
@Command(
        name = "preload-timings",
        mixinStandardHelpOptions = true,
        description = "Writes N RequestTiming events of one made-up run to the timings topic.")
public final class PreloadTimings implements Callable<Integer> {

    @Mixin BenchConnection connection;

    @Option(
            names = "--events",
            paramLabel = "N",
            defaultValue = "5000000",
            description = "Events to write (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(
            names = "--partitions",
            paramLabel = "N",
            defaultValue = "6",
            description = "Partitions of the topics it creates (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--generators",
            paramLabel = "N",
            defaultValue = "4",
            description = "Generators of the run (default: ${DEFAULT-VALUE}).")
    int generators;

    @Option(
            names = "--rate-per-generator",
            paramLabel = "REQ/S",
            defaultValue = "5000",
            description =
                    "Requests per second of each generator: the intended send times span"
                            + " events / (generators x rate) seconds (default: ${DEFAULT-VALUE}).")
    double ratePerGenerator;

    @Option(
            names = "--endpoints",
            paramLabel = "NAME:MEDIAN/P99/ERRORS,...",
            defaultValue = "home:2ms/20ms/0.1%,search:8ms/60ms/0.5%,checkout:15ms/120ms/1%",
            description =
                    "Endpoint profiles; the first is the hot one (default: ${DEFAULT-VALUE}).")
    String endpoints;

    @Option(
            names = "--hot-share",
            paramLabel = "FRACTION",
            defaultValue = "0.8",
            description = "The hot endpoint's share of the requests (default: ${DEFAULT-VALUE}).")
    double hotShare;

    @Option(
            names = "--run-id",
            paramLabel = "ID",
            description = "Run id (default: bench-<random>).")
    String runId;

    @Option(
            names = "--scenario",
            paramLabel = "NAME",
            defaultValue = "preload",
            description = "Scenario name (default: ${DEFAULT-VALUE}).")
    String scenario;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "1",
            description = "Seed of the made-up events (default: ${DEFAULT-VALUE}).")
    long seed;

    public static void main(String[] args) {
        System.exit(LoadstreamCommand.commandLine(new PreloadTimings()).execute(args));
    }

    @Override
    public Integer call() {
        String run =
                runId != null ? runId : "bench-" + UUID.randomUUID().toString().substring(0, 8);
        Topics topics = connection.topics(partitions);
        createTopics(topics);
        connection.serdes().registerSchemas(topics.timings());
        TimingMix mix =
                new TimingMix(
                        run,
                        scenario,
                        generators,
                        LatencyProfile.parseList(endpoints),
                        hotShare,
                        ratePerGenerator * generators,
                        events,
                        System.currentTimeMillis() * 1_000,
                        seed);
        long start = System.nanoTime();
        long produced = produce(mix, topics.timings());
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println("run-id " + run);
        System.out.println("topic " + topics.timings().name());
        System.out.println("produced " + produced);
        System.out.printf("seconds %.1f%n", seconds);
        System.out.printf("rate %.0f%n", produced / seconds);
        return 0;
    }

    /** Creates the missing topics, so that analyze finds its output topics too. */
    private void createTopics(Topics topics) {
        String timings = topics.timings().name();
        try (Admin admin = Admin.create(connection.clientConfig().admin())) {
            Integer existing =
                    new TopicSetup(admin, Optional.empty())
                            .ensure(topics.specs())
                            .existing()
                            .get(timings);
            if (existing != null && existing != partitions) {
                throw new IllegalStateException(
                        timings + " exists with " + existing + " partitions, not " + partitions);
            }
        }
    }

    /**
     * Sends every event of {@code mix}, as fast as the producer takes them, and waits for their
     * acknowledgements.
     *
     * @return the events acknowledged: all of them
     * @throws IllegalStateException if any event failed
     */
    private long produce(TimingMix mix, Topic<SeriesKey, RequestTiming> timings) {
        LongAdder acknowledged = new LongAdder();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<SeriesKey, RequestTiming> producer =
                new KafkaProducer<>(
                        producerConfig(),
                        connection.serdes().keySerde(timings).serializer(),
                        connection.serdes().valueSerde(timings).serializer())) {
            long nextReport = System.nanoTime() + 1_000_000_000L;
            long sent = 0;
            while (mix.hasNext() && failure.get() == null) {
                RequestTiming timing = mix.next();
                producer.send(
                        new ProducerRecord<>(
                                timings.name(),
                                null,
                                timing.getIntendedSendTimeUs() / 1_000,
                                TimingMix.keyOf(timing),
                                timing),
                        (metadata, e) -> {
                            if (e == null) {
                                acknowledged.increment();
                            } else {
                                failure.compareAndSet(null, e);
                            }
                        });
                if ((++sent & 0xFFF) == 0 && System.nanoTime() >= nextReport) {
                    nextReport += 1_000_000_000L;
                    System.err.printf(
                            "preload: %d of %d sent, %d acknowledged%n",
                            sent, events, acknowledged.sum());
                }
            }
            producer.flush();
        }
        if (failure.get() != null || acknowledged.sum() != events) {
            throw new IllegalStateException(
                    "only " + acknowledged.sum() + " of " + events + " events were acknowledged",
                    failure.get());
        }
        return acknowledged.sum();
    }

    /**
     * The client config's producer, tuned for throughput: acks=all and idempotent as {@code
     * generate}'s, with 256 KiB batches, lz4 and a 20 ms linger; a --config file still wins.
     */
    private Map<String, Object> producerConfig() {
        Map<String, Object> props = new HashMap<>(connection.clientConfig().common());
        props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.putIfAbsent(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        connection.clientConfig().producer().forEach(props::putIfAbsent);
        return props;
    }
}
