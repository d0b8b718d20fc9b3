package io.loadstream.producers.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.avro.Outcome;
import io.loadstream.producers.execute.Driver;
import io.loadstream.producers.execute.DriverResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpDriverTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** For first connections and TLS handshakes, which a busy machine may make slow. */
    private static final Duration PATIENT = Duration.ofSeconds(30);

    private static Vertx serverVertx;
    private static HttpServer server;
    private static HttpServer tlsServer;
    private static final AtomicInteger connections = new AtomicInteger();
    private static final AtomicReference<String> lastRequest = new AtomicReference<>();

    private final List<HttpDriver> drivers = new ArrayList<>();

    @BeforeAll
    static void startServers() throws Exception {
        serverVertx = Vertx.vertx();
        server = listen(new HttpServerOptions());
        SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
        tlsServer =
                listen(
                        new HttpServerOptions()
                                .setSsl(true)
                                .setUseAlpn(true)
                                .setKeyCertOptions(certificate.keyCertOptions()));
    }

    @AfterAll
    static void stopServers() throws Exception {
        await(serverVertx.close());
    }

    @BeforeEach
    void resetCounts() {
        connections.set(0);
    }

    @AfterEach
    void closeDrivers() {
        drivers.forEach(HttpDriver::close);
    }

    @Test
    void shouldAnswerSuccessForA200WithTheBodyLengthAndLatency() throws Exception {
        HttpDriver driver = driver(HttpClientSettings.defaults(), get("/ok"));

        DriverResponse response = send(driver, 0);

        assertThat(response.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bytesReceived()).isEqualTo("hello world".length());
        String head = "GET /ok HTTP/1.1\r\nHost: 127.0.0.1:" + server.actualPort() + "\r\n\r\n";
        assertThat(response.bytesSent()).isEqualTo(head.length());
        assertThat(response.latencyNanos()).isPositive();
        assertThat(response.error()).isNull();
    }

    @Test
    void shouldAnswerHttpErrorWithTheStatusForAnUnexpectedOne() throws Exception {
        HttpDriver driver = driver(HttpClientSettings.defaults(), get("/status/503"));

        DriverResponse response = send(driver, 0);

        assertThat(response.outcome()).isEqualTo(Outcome.HTTP_ERROR);
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.error()).isEqualTo("HTTP 503");
    }

    @Test
    void shouldTakeOnlyTheExpectedStatusesAsSuccessWhenGiven() throws Exception {
        HttpDriver driver =
                driver(
                        HttpClientSettings.defaults(),
                        endpoint("ok", "GET", "/ok", Map.of(), null, Set.of(201)),
                        endpoint("created", "GET", "/status/201", Map.of(), null, Set.of(201)));

        assertThat(send(driver, 0).outcome()).isEqualTo(Outcome.HTTP_ERROR);
        assertThat(send(driver, 1).outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(send(driver, 1).statusCode()).isEqualTo(201);
    }

    @Test
    void shouldTimeOutAResponseSlowerThanTheEndpointsTimeout() throws Exception {
        HttpEndpoint slow =
                new HttpEndpoint(
                        "slow", "GET", url("/slow"), null, null, Duration.ofMillis(200), null);
        HttpDriver driver = driver(HttpClientSettings.defaults(), slow, get("/ok"));
        // a first request pays for starting the client; a timer firing early would hide behind it
        assertThat(send(driver, 1).outcome()).isEqualTo(Outcome.SUCCESS);

        long sent = System.nanoTime();
        DriverResponse response = send(driver, 0);
        long answered = System.nanoTime() - sent;

        // /slow never answers, so only the timeout can; it ran for no less than the timeout and
        // no longer than this test waited, however busy the machine
        assertThat(response.outcome()).isEqualTo(Outcome.TIMEOUT);
        assertThat(response.statusCode()).isZero();
        assertThat(response.latencyNanos())
                .isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos())
                .isLessThanOrEqualTo(answered);
        assertThat(send(driver, 1).outcome()).isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void shouldReportARefusedConnectionAsAConnectError() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        HttpDriver driver =
                driver(
                        HttpClientSettings.defaults(),
                        HttpEndpoint.get(
                                "gone",
                                URI.create("http://127.0.0.1:" + closedPort + "/"),
                                TIMEOUT));

        DriverResponse response = send(driver, 0);

        assertThat(response.outcome()).isEqualTo(Outcome.CONNECT_ERROR);
        assertThat(response.statusCode()).isZero();
        assertThat(response.bytesSent()).isZero();
        assertThat(response.error()).isNotBlank();
    }

    @Test
    void shouldReportAConnectionClosedBeforeTheResponseAsAConnectError() throws Exception {
        HttpDriver driver = driver(HttpClientSettings.defaults(), get("/close"));

        assertThat(send(driver, 0).outcome()).isEqualTo(Outcome.CONNECT_ERROR);
    }

    @Test
    void shouldReuseKeptAliveConnections() throws Exception {
        HttpDriver driver = driver(HttpClientSettings.defaults().withMaxConnections(4), get("/ok"));

        for (int i = 0; i < 100; i++) {
            assertThat(send(driver, 0).outcome()).isEqualTo(Outcome.SUCCESS);
        }

        assertThat(connections.get()).isBetween(1, 4);
    }

    @Test
    void shouldOpenNoMoreConnectionsThanTheLimitUnderConcurrency() throws Exception {
        // the last of 60 requests waits for 20 pauses in turn on 3 connections: a timeout far above
        // that keeps a busy machine from turning the wait into a TIMEOUT
        Duration patient = Duration.ofSeconds(30);
        HttpDriver driver =
                driver(
                        HttpClientSettings.defaults().withMaxConnections(3),
                        HttpEndpoint.get("pause", url("/pause"), patient));
        List<CompletableFuture<DriverResponse>> answers = new ArrayList<>();

        for (int i = 0; i < 60; i++) {
            answers.add(driver.send(0));
        }

        for (CompletableFuture<DriverResponse> answer : answers) {
            assertThat(answer.get(patient.toSeconds() * 2, TimeUnit.SECONDS).outcome())
                    .isEqualTo(Outcome.SUCCESS);
        }
        assertThat(connections.get()).isBetween(1, 3);
    }

    @Test
    void shouldOpenMaxConnectionsPerHostWhenPreparedAndKeepThemForTheRun() throws Exception {
        HttpDriver driver =
                driver(
                        HttpClientSettings.defaults().withMaxConnections(6),
                        HttpEndpoint.get("pause", url("/pause"), PATIENT),
                        get("/ok"));

        int open = driver.prepare(PATIENT);

        assertThat(open).isEqualTo(6);
        assertThat(connections.get()).isEqualTo(6);
        for (int i = 0; i < 30; i++) {
            assertThat(send(driver, i % 2).outcome()).isEqualTo(Outcome.SUCCESS);
        }
        // the run's requests found the connections open: none was opened for them
        assertThat(connections.get()).isEqualTo(6);
    }

    @Test
    void shouldDoTheTlsHandshakesWhenPrepared() throws Exception {
        HttpEndpoint ok =
                HttpEndpoint.get(
                        "tls",
                        URI.create("https://127.0.0.1:" + tlsServer.actualPort() + "/pause"),
                        PATIENT);
        HttpDriver driver =
                driver(HttpClientSettings.defaults().withMaxConnections(3).withTrustAll(), ok);

        assertThat(driver.prepare(PATIENT)).isEqualTo(3);
        assertThat(connections.get()).isEqualTo(3);
        assertThat(send(driver, 0).outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(connections.get()).isEqualTo(3);
    }

    @Test
    void shouldSendWarmUpCallsToALoopbackStandInAndNotToTheTarget() throws Exception {
        byte[] body = "{\"sku\":42}".getBytes(StandardCharsets.UTF_8);
        HttpDriver driver = driver(HttpClientSettings.defaults(), echoOrder(body));
        lastRequest.set("none");

        List<DriverResponse> answers = new ArrayList<>();
        try (Driver standIn = driver.warmUpDriver()) {
            assertThat(standIn).isNotSameAs(driver);
            for (int i = 0; i < 50; i++) {
                answers.add(standIn.send(0).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            }
        }

        assertThat(answers).extracting(DriverResponse::outcome).containsOnly(Outcome.SUCCESS);
        assertThat(answers)
                .extracting(DriverResponse::bytesSent)
                .containsOnly(send(driver, 0).bytesSent());
        // the target saw only the one request sent through the driver itself
        assertThat(connections).hasValue(1);
        assertThat(lastRequest.get()).isEqualTo("POST yes {\"sku\":42}");
    }

    @Test
    void shouldSendTheMethodHeadersAndBody() throws Exception {
        byte[] body = "{\"sku\":42}".getBytes(StandardCharsets.UTF_8);
        HttpDriver driver = driver(HttpClientSettings.defaults(), echoOrder(body));

        DriverResponse response = send(driver, 0);

        assertThat(lastRequest.get()).isEqualTo("POST yes {\"sku\":42}");
        assertThat(response.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(response.bytesReceived()).isEqualTo(lastRequest.get().length());
        assertThat(response.bytesSent()).isGreaterThan(body.length);
    }

    @Test
    void shouldSpeakHttp2OverCleartextWithPriorKnowledge() throws Exception {
        HttpDriver driver = driver(HttpClientSettings.defaults().withHttp2(false), get("/version"));

        DriverResponse response = send(driver, 0);

        assertThat(response.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(lastRequest.get()).isEqualTo(HttpVersion.HTTP_2.name());
    }

    @Test
    void shouldNegotiateHttp2OverTlsWhenTrustingAll() throws Exception {
        HttpEndpoint version =
                HttpEndpoint.get(
                        "tls",
                        URI.create("https://127.0.0.1:" + tlsServer.actualPort() + "/version"),
                        TIMEOUT);
        HttpDriver driver =
                driver(HttpClientSettings.defaults().withHttp2(false).withTrustAll(), version);

        DriverResponse response = send(driver, 0);

        assertThat(response.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(lastRequest.get()).isEqualTo(HttpVersion.HTTP_2.name());
    }

    @Test
    void shouldRefuseAnUntrustedCertificateByDefault() throws Exception {
        HttpEndpoint ok =
                HttpEndpoint.get(
                        "tls",
                        URI.create("https://127.0.0.1:" + tlsServer.actualPort() + "/ok"),
                        TIMEOUT);
        HttpDriver driver = driver(HttpClientSettings.defaults(), ok);

        DriverResponse response = send(driver, 0);

        assertThat(response.outcome()).isEqualTo(Outcome.OTHER);
        assertThat(response.error()).isNotBlank();
    }

    @Test
    void shouldAnswerRatherThanThrowForAnUnknownEndpoint() throws Exception {
        HttpDriver driver = driver(HttpClientSettings.defaults(), get("/ok"));

        DriverResponse response = send(driver, 3);

        assertThat(response.outcome()).isEqualTo(Outcome.OTHER);
        assertThat(response.error()).isEqualTo("no endpoint 3 among 1");
    }

    @Test
    void shouldAnswerRequestsStillInFlightWhenClosed() throws Exception {
        HttpEndpoint slow =
                new HttpEndpoint(
                        "slow", "GET", url("/slow"), null, null, Duration.ofSeconds(30), null);
        HttpDriver driver = new HttpDriver(List.of(slow), HttpClientSettings.defaults());
        CompletableFuture<DriverResponse> answer = driver.send(0);

        driver.close();

        // /slow never answers and the endpoint's timeout is 30 s: only closing answers it in time
        assertThat(answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).outcome())
                .isIn(Outcome.OTHER, Outcome.CONNECT_ERROR);
        assertThat(send(driver, 0).error()).isEqualTo("HTTP driver is closed");
    }

    private HttpDriver driver(HttpClientSettings settings, HttpEndpoint... endpoints) {
        HttpDriver driver = new HttpDriver(List.of(endpoints), settings);
        drivers.add(driver);
        return driver;
    }

    private static DriverResponse send(HttpDriver driver, int endpoint) throws Exception {
        return driver.send(endpoint).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private static HttpEndpoint get(String path) {
        return HttpEndpoint.get(path.substring(1), url(path), TIMEOUT);
    }

    /** A POST of {@code body} to /echo with a header, which the server echoes and remembers. */
    private static HttpEndpoint echoOrder(byte[] body) {
        return endpoint("order", "post", "/echo", Map.of("X-Test", "yes"), body, Set.of());
    }

    private static HttpEndpoint endpoint(
            String name,
            String method,
            String path,
            Map<String, String> headers,
            byte[] body,
            Set<Integer> expected) {
        return new HttpEndpoint(name, method, url(path), headers, body, TIMEOUT, expected);
    }

    private static URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.actualPort() + path);
    }

    private static HttpServer listen(HttpServerOptions options) throws Exception {
        return await(
                serverVertx
                        .createHttpServer(options)
                        .connectionHandler(connection -> connections.incrementAndGet())
                        .requestHandler(HttpDriverTest::handle)
                        .listen(0, "127.0.0.1"));
    }

    private static void handle(HttpServerRequest request) {
        String path = request.path();
        if (path.equals("/ok")) {
            request.response().end("hello world");
        } else if (path.startsWith("/status/")) {
            int status = Integer.parseInt(path.substring("/status/".length()));
            request.response().setStatusCode(status).end("status " + status);
        } else if (path.equals("/slow")) {
            // never answered: only the client's timeout or its closing ends the request
        } else if (path.equals("/pause")) {
            serverVertx.setTimer(20, id -> request.response().end("paused"));
        } else if (path.equals("/close")) {
            request.connection().close();
        } else if (path.equals("/version")) {
            lastRequest.set(request.version().name());
            request.response().end("version");
        } else if (path.equals("/echo")) {
            request.body()
                    .onSuccess(
                            body -> {
                                String seen =
                                        request.method().name()
                                                + " "
                                                + request.getHeader("X-Test")
                                                + " "
                                                + body.toString(StandardCharsets.UTF_8);
                                lastRequest.set(seen);
                                request.response().end(seen);
                            });
        } else {
            request.response().setStatusCode(404).end();
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
