package io.loadstream.producers.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An {@link HttpEndpoint} made ready to send: its Vert.x request options, its body as a buffer, its
 * timeout in timer milliseconds, and an estimate of the bytes a request puts on the wire.
 *
 * <p>The estimate is that of HTTP/1.1: request line, {@code Host}, the endpoint's headers, {@code
 * Content-Length} when there is a body, the blank line, and the body. HTTP/2 compresses headers, so
 * there it is an upper bound.
 */
record PreparedRequest(
        HttpEndpoint endpoint,
        RequestOptions options,
        Buffer body,
        long timeoutMillis,
        long bytesSent) {

    static PreparedRequest of(HttpEndpoint endpoint) {
        RequestOptions options =
                new RequestOptions()
                        .setMethod(HttpMethod.valueOf(endpoint.method()))
                        .setAbsoluteURI(endpoint.url().toString());
        endpoint.headers().forEach(options::putHeader);
        byte[] body = endpoint.bodyBytes();
        long timeoutMillis = Math.max(1, (endpoint.timeout().toNanos() + 999_999) / 1_000_000);
        return new PreparedRequest(
                endpoint,
                options,
                Buffer.buffer(body),
                timeoutMillis,
                headBytes(endpoint) + body.length);
    }

    /** Fresh options for one request, so that no two requests share a mutable object. */
    RequestOptions freshOptions() {
        return new RequestOptions(options);
    }

    private static long headBytes(HttpEndpoint endpoint) {
        URI url = endpoint.url();
        String path =
                url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        String target = url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
        String host = url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort();
        StringBuilder head = new StringBuilder();
        head.append(endpoint.method()).append(' ').append(target).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(host).append("\r\n");
        for (Map.Entry<String, String> header : endpoint.headers().entrySet()) {
            head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        if (endpoint.bodyBytes().length > 0) {
            head.append("Content-Length: ").append(endpoint.bodyBytes().length).append("\r\n");
        }
        head.append("\r\n");
        return head.toString().getBytes(StandardCharsets.UTF_8).length;
    }
}
