package io.loadstream.consumers.alerts.forward;

import java.util.List;

/** Posts alert notices to one receiver, once, and says how it answered; never throws for it. */
public interface AlertSender {

    /** Posts {@code notices} together. */
    Delivery send(List<AlertNotice> notices);

    /** The receiver, for messages: {@code Alertmanager at http://127.0.0.1:9093}. */
    String receiver();
}
