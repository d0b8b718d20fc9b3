package io.loadstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.producers.publish.Publisher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutcomeCountingPublisherTest {

    private final List<RequestTiming> published = new ArrayList<>();
    private final OutcomeCountingPublisher publisher =
            new OutcomeCountingPublisher(new ListPublisher(published));

    @Test
    void shouldPassEveryEventOnAndCountItsOutcome() {
        publish(Outcome.SUCCESS, Outcome.TIMEOUT, Outcome.SUCCESS);

        assertThat(published).hasSize(3);
        assertThat(publisher.count(Outcome.SUCCESS)).isEqualTo(2);
        assertThat(publisher.count(Outcome.TIMEOUT)).isEqualTo(1);
        assertThat(publisher.noRequestSucceeded()).isEmpty();
    }

    @Test
    void shouldNameEveryOutcomeWhenNoRequestSucceeded() {
        publish(Outcome.HTTP_ERROR, Outcome.HTTP_ERROR, Outcome.TIMEOUT);

        assertThat(publisher.noRequestSucceeded())
                .hasValue("none of the 3 requests succeeded (2 HTTP_ERROR, 1 TIMEOUT)");
    }

    @Test
    void shouldPointAtTheTargetWhenEveryConnectionFailed() {
        publish(Outcome.CONNECT_ERROR, Outcome.CONNECT_ERROR);

        assertThat(publisher.noRequestSucceeded())
                .hasValue(
                        "none of the 2 requests succeeded (2 CONNECT_ERROR): is the target"
                                + " running, and is --target-url right?");
    }

    @Test
    void shouldFindNothingWrongWithARunWithoutRequests() {
        assertThat(publisher.noRequestSucceeded()).isEmpty();
    }

    private void publish(Outcome... outcomes) {
        for (Outcome outcome : outcomes) {
            publisher.publish(
                    RequestTiming.newBuilder()
                            .setRunId("run-1")
                            .setScenario("steady")
                            .setEndpoint("home")
                            .setGeneratorId("gen-1")
                            .setIntendedSendTimeUs(1_700_000_000_000_000L)
                            .setActualSendTimeUs(1_700_000_000_000_000L)
                            .setLatencyUs(1_000)
                            .setOutcome(outcome)
                            .setStatusCode(outcome == Outcome.SUCCESS ? 200 : 0)
                            .setBytesSent(0)
                            .setBytesReceived(0)
                            .setError(null)
                            .setTags(Map.of())
                            .build());
        }
    }

    /** Keeps what it is handed; Kafka's side of the counts does not matter here. */
    private record ListPublisher(List<RequestTiming> events) implements Publisher {
        @Override
        public void publish(RequestTiming timing) {
            events.add(timing);
        }

        @Override
        public void tick() {}

        @Override
        public long sent() {
            return events.size();
        }

        @Override
        public long acknowledged() {
            return events.size();
        }

        @Override
        public long failed() {
            return 0;
        }

        @Override
        public long dropped() {
            return 0;
        }

        @Override
        public Optional<String> firstFailure() {
            return Optional.empty();
        }

        @Override
        public String status() {
            return "";
        }

        @Override
        public long finish(Duration timeout) {
            return 0;
        }

        @Override
        public void close() {}
    }
}
