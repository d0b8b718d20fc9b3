package io.loadstream.producers.publish;

import io.loadstream.avro.IntervalHistogram;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.SeriesKey;
import io.loadstream.producers.execute.TimingEvents;
import io.loadstream.schemas.config.ClientConfig;
import io.loadstream.schemas.serde.AvroSerdes;
import io.loadstream.schemas.topic.Topic;
import io.loadstream.schemas.topic.Topics;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Opens a {@link Publisher} ready to keep a schedule: its schemas are registered and its topic's
 * metadata fetched before it is returned, so the first requests of a run do not wait for the
 * registry or the broker.
 *
 * <pre>{@code
 * try (Publisher publisher =
 *         Publishers.open(config, serdes, topics, PublishMode.EVENTS,
 *                 TimingPublisher.DEFAULT_BUFFER_EVENTS, Clock.systemUTC())) {
 *     ...
 * }
 * }</pre>
 */
public final class Publishers {

    /** The length of a histogram-mode interval. */
    public static final Duration HISTOGRAM_INTERVAL = Duration.ofSeconds(1);

    /** How long after its end a histogram-mode interval waits for requests still in flight. */
    public static final Duration HISTOGRAM_GRACE = Duration.ofSeconds(2);

    private Publishers() {}

    /**
     * @param config the Kafka client config; its producer settings are used
     * @param bufferEvents events mode: events that may wait for Kafka before new ones are dropped
     * @param clock histogram mode: the wall clock that says when an interval is due
     * @throws org.apache.kafka.common.KafkaException when the topic's metadata cannot be fetched
     */
    public static Publisher open(
            ClientConfig config,
            AvroSerdes serdes,
            Topics topics,
            PublishMode mode,
            int bufferEvents,
            Clock clock) {
        return switch (mode) {
            case EVENTS -> events(config, serdes, topics.timings(), bufferEvents);
            case HISTOGRAMS -> histograms(config, serdes, topics.histograms(), clock);
        };
    }

    private static TimingPublisher events(
            ClientConfig config,
            AvroSerdes serdes,
            Topic<SeriesKey, RequestTiming> timings,
            int bufferEvents) {
        serdes.registerSchemas(timings);
        TimingPublisher publisher =
                new TimingPublisher(
                        config.producer(),
                        serdes.keySerde(timings).serializer(),
                        serdes.valueSerde(timings).serializer(),
                        timings.name(),
                        bufferEvents);
        try {
            publisher.awaitMetadata();
            return publisher;
        } catch (RuntimeException e) {
            publisher.close();
            throw e;
        }
    }

    private static HistogramPublisher histograms(
            ClientConfig config,
            AvroSerdes serdes,
            Topic<SeriesKey, IntervalHistogram> histograms,
            Clock clock) {
        serdes.registerSchemas(histograms);
        KafkaProducer<SeriesKey, IntervalHistogram> producer =
                new KafkaProducer<>(
                        TimingPublisher.withOutageDefaults(config.producer()),
                        serdes.keySerde(histograms).serializer(),
                        serdes.valueSerde(histograms).serializer());
        try {
            producer.partitionsFor(histograms.name());
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        return new HistogramPublisher(
                producer,
                histograms.name(),
                HISTOGRAM_INTERVAL,
                HISTOGRAM_GRACE,
                () -> TimingEvents.epochMicros(clock.instant()));
    }
}
