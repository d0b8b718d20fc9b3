package io.loadstream.cli;

import picocli.CommandLine.Option;

/** Options of every command that reads or writes Avro. */
public final class RegistryOptions {

    @Option(
            names = "--schema-registry-url",
            paramLabel = "URL[,URL...]",
            description =
                    "Confluent-compatible schema registry. When absent (and not set in --config),"
                            + " an embedded registry is started that keeps schemas in the"
                            + " '<prefix>_schemas' topic of the Kafka cluster.")
    String url;

    /** The registry URLs given, or null. */
    public String url() {
        return url;
    }
}
