package io.loadstream.producers.target;

import static io.loadstream.producers.target.FaultScheduleTest.burst;
import static io.loadstream.producers.target.FaultScheduleTest.hang;
import static io.loadstream.producers.target.FaultScheduleTest.spike;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The target on loopback, called with a real HTTP client. */
class TargetServerTest {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

    private static final Duration PATIENT = Duration.ofSeconds(10);

    /** Arrival clock of the targets started with a fake clock, in epoch millis; origin is 0. */
    private final AtomicLong clock = new AtomicLong();

    private TargetServer target;

    @AfterEach
    void closeTarget() {
        if (target != null) {
            target.close();
        }
    }

    @Test
    void shouldAnswerWithTheEndpointsLatencyAndBody() {
        TargetConfig config = config(List.of(endpoint("page", 10, 30, 300, 0)), List.of());
        target = TargetServer.start(config, "127.0.0.1", 0, System.currentTimeMillis());
        // the first requests of a fresh JVM pay for class loading and compilation, not latency
        call("/page", 100, 20, PATIENT);

        List<Call> calls = call("/page", 200, 20, PATIENT);

        assertThat(calls).allSatisfy(c -> assertThat(c.status()).isEqualTo(200));
        assertThat(calls).allSatisfy(c -> assertThat(c.bodyBytes()).isEqualTo(300));
        // at least the configured median, and below the configured p99 even with the client's
        // own overhead on a busy machine
        assertThat(medianMillis(calls)).isBetween(8.0, 30.0);
        assertThat(target.requestCount("page", 200)).isEqualTo(300);
        assertThat(target.baseUrl()).isEqualTo("http://127.0.0.1:" + target.port());
    }

    @Test
    void shouldMultiplyLatencyDuringASpikeOnly() {
        TargetConfig config =
                config(
                        List.of(endpoint("calm", 5, 10, 16, 0), endpoint("spiky", 5, 10, 16, 0)),
                        List.of(spike("spiky", 10_000, 10_000, 10)));
        target = TargetServer.start(config, "127.0.0.1", 0, 0, clock::get);

        clock.set(15_000);
        double spiky = medianMillis(call("/spiky", 50, 10, PATIENT));
        double calm = medianMillis(call("/calm", 50, 10, PATIENT));
        clock.set(20_000);
        double spikyAfter = medianMillis(call("/spiky", 50, 10, PATIENT));

        assertThat(spiky).isGreaterThan(40);
        assertThat(calm).isLessThan(20);
        assertThat(spikyAfter).isLessThan(20);
    }

    @Test
    void shouldFailTheBurstPercentWithItsStatus() {
        TargetConfig config =
                config(
                        List.of(endpoint("flaky", 1, 3, 64, 0)),
                        List.of(burst("flaky", 0, 60_000, 30, 503)));
        target = TargetServer.start(config, "127.0.0.1", 0, System.currentTimeMillis());

        List<Call> calls = call("/flaky", 400, 40, PATIENT);

        long failed = calls.stream().filter(c -> c.status() == 503).count();
        assertThat(calls).allSatisfy(c -> assertThat(c.status()).isIn(200, 503));
        assertThat(failed / 400.0).isBetween(0.2, 0.4);
        assertThat(target.requestCount("flaky", 503)).isEqualTo(failed);
        assertThat(target.requestCount("flaky")).isEqualTo(400);
    }

    @Test
    void shouldHoldRequestsUntilTheHangEnds() throws Exception {
        TargetConfig config =
                config(List.of(endpoint("frozen", 1, 3, 64, 0)), List.of(hang(null, 0, 1_000)));
        target = TargetServer.start(config, "127.0.0.1", 0, 0, clock::get);
        clock.set(200); // every request arriving now is held 800 ms

        long sent = System.nanoTime();
        CompletableFuture<HttpResponse<byte[]>> patient =
                CLIENT.sendAsync(
                        request("/frozen", PATIENT), HttpResponse.BodyHandlers.ofByteArray());
        await().atMost(PATIENT).until(() -> target.requestCount("frozen") == 1);
        assertThatThrownBy(() -> send(request("/frozen", Duration.ofMillis(300))))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(patient.get(PATIENT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThan(ofMillis(750));

        clock.set(1_000); // the hang is over
        assertThat(send(request("/frozen", Duration.ofMillis(300))).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswerHealthAndUnknownPathsWithoutCountingThemForAnEndpoint() throws Exception {
        TargetConfig config = config(List.of(endpoint("page", 1, 3, 64, 0.5)), List.of());
        target = TargetServer.start(config, "127.0.0.1", 0, System.currentTimeMillis());

        HttpResponse<byte[]> health = send(request("/health", PATIENT));
        HttpResponse<byte[]> unknown = send(request("/pages", PATIENT));

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(target.unmatchedCount()).isEqualTo(1);
        assertThat(target.requestCount("page")).isZero();
    }

    @Test
    void shouldRefuseAPortInUse() {
        TargetConfig config = config(List.of(endpoint("page", 1, 3, 64, 0)), List.of());
        target = TargetServer.start(config, "127.0.0.1", 0, System.currentTimeMillis());

        assertThatThrownBy(() -> TargetServer.start(config, "127.0.0.1", target.port(), 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("127.0.0.1:" + target.port());
    }

    /** One answered request: its status, body size and time to the answer. */
    private record Call(int status, int bodyBytes, long nanos) {}

    /** Makes {@code count} requests to {@code path}, {@code inFlight} at a time. */
    private List<Call> call(String path, int count, int inFlight, Duration timeout) {
        List<Call> calls = new ArrayList<>();
        for (int done = 0; done < count; done += inFlight) {
            List<CompletableFuture<Call>> batch = new ArrayList<>();
            for (int i = 0; i < Math.min(inFlight, count - done); i++) {
                long start = System.nanoTime();
                batch.add(
                        CLIENT.sendAsync(
                                        request(path, timeout),
                                        HttpResponse.BodyHandlers.ofByteArray())
                                .thenApply(
                                        r ->
                                                new Call(
                                                        r.statusCode(),
                                                        r.body().length,
                                                        System.nanoTime() - start)));
            }
            batch.forEach(call -> calls.add(call.join()));
        }
        return calls;
    }

    private static double medianMillis(List<Call> calls) {
        long[] nanos = calls.stream().mapToLong(Call::nanos).sorted().toArray();
        return nanos[nanos.length / 2] / 1e6;
    }

    private HttpRequest request(String path, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(target.baseUrl() + path)).timeout(timeout).build();
    }

    private static HttpResponse<byte[]> send(HttpRequest request) throws Exception {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static Duration ofMillis(long millis) {
        return Duration.ofMillis(millis);
    }

    private static TargetEndpoint endpoint(
            String name, long medianMillis, long p99Millis, int payloadBytes, double errorRate) {
        return new TargetEndpoint(
                name,
                "/" + name,
                Duration.ofMillis(medianMillis),
                Duration.ofMillis(p99Millis),
                payloadBytes,
                errorRate,
                500);
    }

    private static TargetConfig config(List<TargetEndpoint> endpoints, List<FaultSpec> faults) {
        return new TargetConfig(endpoints, faults);
    }
}
