package io.loadstream.consumers.alerts.forward;

import java.util.List;

/** The body a receiver takes for a list of notices. */
public interface AlertPayload {

    /** The JSON body posting {@code notices} at wall-clock time {@code nowMs}. */
    byte[] body(List<AlertNotice> notices, long nowMs);
}
