package io.loadstream.producers.http;

import io.loadstream.avro.Outcome;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * What a failed HTTP exchange counts as: a timeout, a connection that could not be made or was lost
 * before the response began (refused, reset, closed, unknown host), or anything else.
 */
final class HttpFailures {

    private HttpFailures() {}

    /**
     * The outcome of an exchange that failed with {@code failure}.
     *
     * @param responseStarted whether the response's status line had arrived: a connection lost
     *     after it is not a connect error but a broken response
     */
    static Outcome outcome(Throwable failure, boolean responseStarted) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            // netty's ConnectTimeoutException is a ConnectException, so timeouts come first
            if (cause instanceof TimeoutException
                    || cause instanceof SocketTimeoutException
                    || cause.getClass().getSimpleName().endsWith("TimeoutException")) {
                return Outcome.TIMEOUT;
            }
        }
        if (!responseStarted) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                if (isConnectionFailure(cause)) {
                    return Outcome.CONNECT_ERROR;
                }
            }
        }
        return Outcome.OTHER;
    }

    /** The error text of an event: the failure's type and message. */
    static String describe(Throwable failure) {
        String message = failure.getMessage();
        String type = failure.getClass().getSimpleName();
        return message == null || message.isBlank() ? type : type + ": " + message;
    }

    private static boolean isConnectionFailure(Throwable cause) {
        if (cause instanceof ConnectException
                || cause instanceof NoRouteToHostException
                || cause instanceof UnknownHostException
                || cause instanceof HttpClosedException
                || cause instanceof ClosedChannelException) {
            return true;
        }
        String message = cause.getMessage();
        return cause instanceof IOException
                && message != null
                && message.toLowerCase(Locale.ROOT).contains("connection reset");
    }
}
