package io.loadstream.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** This machine's name, as default generator ids and metric instances carry it. */
final class LocalHost {

    private LocalHost() {}

    static String name() {
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
