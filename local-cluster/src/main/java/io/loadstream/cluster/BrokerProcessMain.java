package io.loadstream.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The main class of a broker in a child JVM, for tests that kill the broker's process ({@code kill
 * -9}) and start it again on the same ports and data: {@code BrokerProcessMain DATA_DIR BROKER_PORT
 * CONTROLLER_PORT} starts a {@link LocalKafkaCluster} there (formatting the storage the first
 * time), prints {@value #READY} and the bootstrap servers on a line of its own once the broker
 * serves, and runs until it is killed. SIGTERM, or the end of its standard input (the parent that
 * started it died), stops the broker cleanly: a child never outlives the test that started it.
 */
public final class BrokerProcessMain {

    /** What the child prints, followed by its bootstrap servers, once the broker serves. */
    public static final String READY = "loadstream broker ready on ";

    /**
     * A restarted broker registers again only once the controller has given up on the killed one's
     * session: a short session makes the restart take seconds rather than the default 9.
     */
    private static final Map<String, String> QUICK_RESTART =
            Map.of("broker.session.timeout.ms", "3000", "broker.heartbeat.interval.ms", "500");

    private BrokerProcessMain() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: BrokerProcessMain DATA_DIR BROKER_PORT CONTROLLER_PORT");
            System.exit(2);
        }
        LocalKafkaCluster cluster =
                LocalKafkaCluster.startIn(
                        Path.of(args[0]),
                        Integer.parseInt(args[1]),
                        Integer.parseInt(args[2]),
                        QUICK_RESTART);
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::stopBroker, "broker-stop"));
        System.out.println(READY + cluster.bootstrapServers());
        System.out.flush();
        while (System.in.read() != -1) {
            // the parent writes nothing: this waits for the pipe to close
        }
        System.exit(0);
    }
}
