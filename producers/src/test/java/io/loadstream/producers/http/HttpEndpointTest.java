package io.loadstream.producers.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HttpEndpointTest {

    private static final URI URL = URI.create("http://shop.test:8080/cart?id=7");
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    @Test
    void shouldCountAny2xxOr3xxAsSuccessUnlessStatusesAreGiven() {
        HttpEndpoint any = HttpEndpoint.get("cart", URL, TIMEOUT);
        HttpEndpoint only204 =
                new HttpEndpoint("cart", "DELETE", URL, null, null, TIMEOUT, Set.of(204));

        assertThat(any.isExpected(200)).isTrue();
        assertThat(any.isExpected(304)).isTrue();
        assertThat(any.isExpected(404)).isFalse();
        assertThat(any.isExpected(199)).isFalse();
        assertThat(only204.isExpected(204)).isTrue();
        assertThat(only204.isExpected(200)).isFalse();
    }

    @Test
    void shouldKeepItsOwnCopyOfTheBodyAndCompareByContent() {
        byte[] body = "abc".getBytes(StandardCharsets.UTF_8);
        HttpEndpoint endpoint =
                new HttpEndpoint("post", "post", URL, Map.of(), body, TIMEOUT, null);
        body[0] = 'x';

        assertThat(endpoint.body()).isEqualTo("abc".getBytes(StandardCharsets.UTF_8));
        assertThat(endpoint.method()).isEqualTo("POST");
        assertThat(endpoint)
                .isEqualTo(
                        new HttpEndpoint(
                                "post",
                                "POST",
                                URL,
                                null,
                                "abc".getBytes(StandardCharsets.UTF_8),
                                TIMEOUT,
                                Set.of()));
    }

    @Test
    void shouldEstimateTheBytesOfTheRequestHeadAndBody() {
        HttpEndpoint endpoint =
                new HttpEndpoint(
                        "post", "POST", URL, Map.of("X-A", "1"), new byte[10], TIMEOUT, null);

        String head =
                "POST /cart?id=7 HTTP/1.1\r\n"
                        + "Host: shop.test:8080\r\n"
                        + "X-A: 1\r\n"
                        + "Content-Length: 10\r\n\r\n";
        assertThat(PreparedRequest.of(endpoint).bytesSent()).isEqualTo(head.length() + 10);
    }

    @Test
    void shouldRejectWhatCannotBeSent() {
        assertThatThrownBy(() -> HttpEndpoint.get("x", URI.create("/relative"), TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpEndpoint.get("x", URI.create("ftp://host/"), TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpEndpoint.get("x", URL, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () -> new HttpEndpoint("x", "GET", URL, null, null, TIMEOUT, Set.of(700)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HttpEndpoint("x", "GE T", URL, null, null, TIMEOUT, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
