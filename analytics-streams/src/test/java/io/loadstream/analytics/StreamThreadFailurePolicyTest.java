package io.loadstream.analytics;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.schemas.registry.SchemaRegistryException;
import io.loadstream.schemas.serde.WireFormatException;
import java.net.ConnectException;
import java.time.Duration;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class StreamThreadFailurePolicyTest {

    private long nanos = 1_000_000_000L;
    private final StreamThreadFailurePolicy policy = new StreamThreadFailurePolicy(() -> nanos);

    @Test
    void shouldReplaceAThreadThatFailedBecauseTheRegistryIsAway() {
        assertThat(policy.handle(registryAway())).isEqualTo(REPLACE_THREAD);
        assertThat(policy.handle(new StreamsException(new TimeoutException("commit timed out"))))
                .isEqualTo(REPLACE_THREAD);
        assertThat(policy.replacements()).isEqualTo(2);
    }

    @Test
    void shouldStopOnceReplacementsDoNotHelp() {
        for (int i = 0; i < StreamThreadFailurePolicy.MAX_REPLACEMENTS; i++) {
            nanos += Duration.ofSeconds(5).toNanos();
            assertThat(policy.handle(registryAway()))
                    .as("replacement %d", i)
                    .isEqualTo(REPLACE_THREAD);
        }

        assertThat(policy.handle(registryAway())).isEqualTo(SHUTDOWN_CLIENT);
    }

    @Test
    void shouldCountOnlyTheReplacementsWithinTheWindow() {
        for (int i = 0; i < StreamThreadFailurePolicy.MAX_REPLACEMENTS; i++) {
            policy.handle(registryAway());
        }

        nanos += StreamThreadFailurePolicy.REPLACEMENT_WINDOW.toNanos();

        assertThat(policy.handle(registryAway())).isEqualTo(REPLACE_THREAD);
    }

    @Test
    void shouldStopOnWhatWouldFailAgainOnTheSameRecord() {
        assertThat(policy.handle(new OutOfMemoryError("Java heap space")))
                .isEqualTo(SHUTDOWN_CLIENT);
        assertThat(
                        policy.handle(
                                new StreamsException(
                                        new SchemaRegistryException(401, 401, "Unauthorized"))))
                .isEqualTo(SHUTDOWN_CLIENT);
        assertThat(policy.handle(new StreamsException(new IllegalStateException("bug"))))
                .isEqualTo(SHUTDOWN_CLIENT);
        // an Error wrapped around a transient cause is still an Error
        assertThat(policy.handle(new StreamsException(new OutOfMemoryError("Java heap space"))))
                .isEqualTo(SHUTDOWN_CLIENT);
        assertThat(policy.replacements()).isZero();
    }

    @Test
    void shouldNameTheCauseBelowTheStreamsWrappers() {
        Throwable cause = StreamThreadFailurePolicy.belowStreams(registryAway());

        assertThat(cause).isInstanceOf(WireFormatException.class);
        assertThat(cause.getMessage()).contains("schema id 3");
    }

    /** What a stream thread dies of when the deserialization handler fails a record. */
    private static StreamsException registryAway() {
        return new StreamsException(
                "Deserialization exception handler is set to fail upon a deserialization error.",
                new WireFormatException(
                        WireFormatException.Reason.REGISTRY_ERROR,
                        "cannot fetch schema id 3 for a record on topic timings",
                        new SchemaRegistryException(
                                "schema registry http://127.0.0.1:1 is unreachable",
                                new ConnectException("Connection refused"))),
                new TaskId(0, 1));
    }
}
