package io.loadstream.producers.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.avro.Outcome;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class HttpFailuresTest {

    @Test
    void shouldCountTimeoutsAsTimeoutsWhereverTheyAre() {
        assertThat(HttpFailures.outcome(new TimeoutException("late"), false))
                .isEqualTo(Outcome.TIMEOUT);
        assertThat(HttpFailures.outcome(new VertxException(new TimeoutException()), true))
                .isEqualTo(Outcome.TIMEOUT);
        // netty's connect timeout is a ConnectException too
        assertThat(HttpFailures.outcome(new ConnectTimeoutException(), false))
                .isEqualTo(Outcome.TIMEOUT);
    }

    @Test
    void shouldCountConnectionsLostBeforeTheResponseAsConnectErrors() {
        assertThat(HttpFailures.outcome(new ConnectException("Connection refused"), false))
                .isEqualTo(Outcome.CONNECT_ERROR);
        assertThat(HttpFailures.outcome(new IOException("Connection reset by peer"), false))
                .isEqualTo(Outcome.CONNECT_ERROR);
        assertThat(HttpFailures.outcome(new UnknownHostException("nowhere.invalid"), false))
                .isEqualTo(Outcome.CONNECT_ERROR);
        assertThat(
                        HttpFailures.outcome(
                                new VertxException(new HttpClosedException("closed")), false))
                .isEqualTo(Outcome.CONNECT_ERROR);
    }

    @Test
    void shouldCountAConnectionLostMidResponseAndEverythingElseAsOther() {
        assertThat(HttpFailures.outcome(new IOException("Connection reset by peer"), true))
                .isEqualTo(Outcome.OTHER);
        assertThat(
                        HttpFailures.outcome(
                                new SSLHandshakeException("PKIX path building failed"), false))
                .isEqualTo(Outcome.OTHER);
        assertThat(HttpFailures.outcome(new IllegalStateException("odd"), false))
                .isEqualTo(Outcome.OTHER);
    }

    @Test
    void shouldDescribeAFailureByTypeAndMessage() {
        assertThat(HttpFailures.describe(new ConnectException("Connection refused")))
                .isEqualTo("ConnectException: Connection refused");
        assertThat(HttpFailures.describe(new TimeoutException())).isEqualTo("TimeoutException");
    }

    /** Stands for netty's, which is a ConnectException named ...TimeoutException. */
    private static final class ConnectTimeoutException extends ConnectException {
        ConnectTimeoutException() {
            super("connection timed out");
        }
    }
}
