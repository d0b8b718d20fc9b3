package io.loadstream.cli;

import io.loadstream.producers.target.FaultSpec;
import io.loadstream.producers.target.TargetConfig;
import io.loadstream.producers.target.TargetEndpoint;
import io.loadstream.producers.target.TargetServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code loadstream target}: an HTTP service to load, whose endpoints' latencies, body sizes and
 * errors, and whose faults over time, come from a target YAML file. Runs until Ctrl-C.
 */
@Command(
        name = "target",
        mixinStandardHelpOptions = true,
        description = {
            "Serves HTTP endpoints that answer like a real service, for demos and tests: each"
                    + " endpoint's latency (log-normal, given by median and p99), body size and"
                    + " error rate come from a target YAML file (see targets/demo.yaml), and so"
                    + " does a schedule of faults: latency spikes, error bursts, hangs and lasting"
                    + " regressions.",
            "Prints its URL, its endpoints and its faults, then runs until Ctrl-C. GET /health"
                    + " answers 200."
        })
final class TargetCommand implements Callable<Integer> {

    @Option(
            names = "--config",
            paramLabel = "FILE",
            required = true,
            description = "Target YAML file: endpoints and fault schedule.")
    Path config;

    @Option(
            names = "--host",
            paramLabel = "HOST",
            defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "8080",
            description = "Port to listen on; 0 for a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--origin",
            paramLabel = "EPOCH_MS",
            description =
                    "When the fault schedule starts, in milliseconds since the epoch, to line it"
                            + " up with a load run or another target (default: now).")
    Long origin;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65_535) {
            throw UsageErrors.usageError(spec, "--port must be 0 to 65535, not " + port);
        }
        TargetConfig target = TargetConfig.load(config);
        long originEpochMillis = origin != null ? origin : System.currentTimeMillis();
        TargetServer server = TargetServer.start(target, host, port, originEpochMillis);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "target-shutdown"));

        PrintWriter out = spec.commandLine().getOut();
        out.println(server.baseUrl());
        for (TargetEndpoint endpoint : target.endpoints()) {
            out.println("endpoint " + endpoint.describe());
        }
        for (FaultSpec fault : target.faults()) {
            out.println("fault " + fault.describe());
        }
        out.flush();
        Console.info(
                "Fault schedule time 0 is "
                        + Instant.ofEpochMilli(originEpochMillis)
                        + " (--origin "
                        + originEpochMillis
                        + "). Running; Ctrl-C stops.");
        // runs until the JVM is stopped; the shutdown hook then closes the server
        new CountDownLatch(1).await();
        return 0;
    }
}
