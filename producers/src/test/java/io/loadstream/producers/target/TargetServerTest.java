package io.loadstream.producers.target;

import static io.loadstream.producers.target.FaultScheduleTest.burst;
import static io.loadstream.producers.target.FaultScheduleTest.hang;
import static io.loadstream.producers.target.FaultScheduleTest.spike;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The target on loopback, called with a real HTTP client. Latency is checked on the delays the
 * target plans, kept by the test's {@link AnswerTimer}, and on real timers only as a lower bound
 * (no answer before its plan), so that no test depends on how busy the machine is.
 */
class TargetServerTest {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

    private static final Duration PATIENT = Duration.ofSeconds(10);

    /** Arrival clock of the targets started with a fake clock, in epoch millis; origin is 0. */
    private final AtomicLong clock = new AtomicLong();

    /** The delays the target planned, in nanoseconds, in the order it planned them. */
    private final Queue<Long> planned = new ConcurrentLinkedQueue<>();

    /** Keeps each planned delay and answers at once: what the target plans, without the wait. */
    private final AnswerTimer answerAtOnce =
            (vertx, delayNanos, answer) -> {
                planned.add(delayNanos);
                answer.run();
            };

    /** Keeps each planned delay and waits for it, as the target does. */
    private final AnswerTimer waitAsPlanned =
            (vertx, delayNanos, answer) -> {
                planned.add(delayNanos);
                AnswerTimer.EVENT_LOOP.runAfter(vertx, delayNanos, answer);
            };

    private TargetServer target;

    @AfterEach
    void closeTarget() {
        if (target != null) {
            target.close();
        }
    }

    @Test
    void shouldPlanEachEndpointsOwnLatency() {
        TargetConfig config =
                config(
                        List.of(endpoint("quick", 2, 4, 300, 0), endpoint("slow", 300, 360, 64, 0)),
                        List.of());
        target = startOnTheFakeClock(config, answerAtOnce);

        List<Call> quick = call("/quick", 200, 20, PATIENT);
        List<Long> quickPlans = takePlanned();
        List<Call> slow = call("/slow", 200, 20, PATIENT);
        List<Long> slowPlans = takePlanned();

        assertThat(quick).allSatisfy(c -> assertThat(c.status()).isEqualTo(200));
        assertThat(quick).allSatisfy(c -> assertThat(c.bodyBytes()).isEqualTo(300));
        assertThat(slow).allSatisfy(c -> assertThat(c.bodyBytes()).isEqualTo(64));
        // the median of 200 draws lies within a few percent of the endpoint's
        assertThat(medianMillis(quickPlans)).isCloseTo(2, withinPercentage(25));
        assertThat(medianMillis(slowPlans)).isCloseTo(300, withinPercentage(10));
        assertThat(target.requestCount("quick", 200)).isEqualTo(200);
        assertThat(target.requestCount("slow", 200)).isEqualTo(200);
    }

    @Test
    void shouldAnswerNoSoonerThanPlanned() {
        TargetConfig config = config(List.of(endpoint("page", 100, 120, 300, 0)), List.of());
        target = startOnTheFakeClock(config, waitAsPlanned);

        List<Call> calls = call("/page", 40, 20, PATIENT);

        assertThat(calls).allSatisfy(c -> assertThat(c.status()).isEqualTo(200));
        assertThat(calls).allSatisfy(c -> assertThat(c.bodyBytes()).isEqualTo(300));
        // each answer comes after its own plan, so the k-th shortest call takes at least the k-th
        // shortest plan; a busy machine only adds to the calls
        long[] took = calls.stream().mapToLong(Call::nanos).sorted().toArray();
        long[] plans = takePlanned().stream().mapToLong(Long::longValue).sorted().toArray();
        assertThat(plans).hasSameSizeAs(took);
        for (int k = 0; k < took.length; k++) {
            assertThat(took[k]).isGreaterThanOrEqualTo(plans[k]);
        }
        assertThat(target.requestCount("page", 200)).isEqualTo(40);
        assertThat(target.baseUrl()).isEqualTo("http://127.0.0.1:" + target.port());
    }

    @Test
    void shouldMultiplyLatencyDuringASpikeOnly() {
        TargetConfig config =
                config(
                        List.of(endpoint("calm", 5, 10, 16, 0), endpoint("spiky", 5, 10, 16, 0)),
                        List.of(spike("spiky", 10_000, 10_000, 10)));
        target = startOnTheFakeClock(config, answerAtOnce);

        clock.set(15_000);
        call("/spiky", 50, 10, PATIENT);
        double spiky = medianMillis(takePlanned());
        call("/calm", 50, 10, PATIENT);
        double calm = medianMillis(takePlanned());
        clock.set(20_000);
        call("/spiky", 50, 10, PATIENT);
        double spikyAfter = medianMillis(takePlanned());

        assertThat(spiky).isGreaterThan(3 * calm);
        assertThat(spikyAfter).isLessThan(2 * calm);
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
        target = startOnTheFakeClock(config, waitAsPlanned);
        clock.set(200);

        long sent = System.nanoTime();
        CompletableFuture<HttpResponse<byte[]>> held =
                CLIENT.sendAsync(
                        request("/frozen", PATIENT), HttpResponse.BodyHandlers.ofByteArray());
        await().atMost(PATIENT).until(() -> target.requestCount("frozen") == 1);
        clock.set(1_000);
        HttpResponse<byte[]> after = send(request("/frozen", PATIENT));

        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(held.get(PATIENT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        Duration heldFor = Duration.ofNanos(System.nanoTime() - sent);
        List<Long> plans = takePlanned();
        // held from its arrival at 200 to the end of the hang at 1 000, then its own latency
        assertThat(plans.get(0)).isBetween(millisInNanos(800), millisInNanos(850));
        assertThat(plans.get(1)).isLessThan(millisInNanos(50));
        assertThat(heldFor).isGreaterThanOrEqualTo(Duration.ofNanos(plans.get(0)));
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

    /** Takes the delays planned so far, in the order they were planned. */
    private List<Long> takePlanned() {
        List<Long> taken = new ArrayList<>();
        for (Long delay = planned.poll(); delay != null; delay = planned.poll()) {
            taken.add(delay);
        }
        return taken;
    }

    private TargetServer startOnTheFakeClock(TargetConfig config, AnswerTimer answerTimer) {
        return TargetServer.start(config, "127.0.0.1", 0, 0, clock::get, answerTimer);
    }

    private static double medianMillis(List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted[sorted.length / 2] / 1e6;
    }

    private static long millisInNanos(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private HttpRequest request(String path, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(target.baseUrl() + path)).timeout(timeout).build();
    }

    private static HttpResponse<byte[]> send(HttpRequest request) throws Exception {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
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
