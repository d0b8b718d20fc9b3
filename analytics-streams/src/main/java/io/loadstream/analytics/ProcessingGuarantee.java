package io.loadstream.analytics;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The processing guarantees analyze runs with. Exactly-once is what makes its counts equal the
 * acknowledged events after a crash, so it can only be given up on the command line, never by a
 * client properties file that happens to carry {@code processing.guarantee}.
 */
public enum ProcessingGuarantee {
    /** Kafka Streams' {@code exactly_once_v2}: the default, and what the results promise. */
    EXACTLY_ONCE_V2(StreamsConfig.EXACTLY_ONCE_V2),
    /** Kafka Streams' {@code at_least_once}: after a crash, events can be counted twice. */
    AT_LEAST_ONCE(StreamsConfig.AT_LEAST_ONCE);

    private final String config;

    ProcessingGuarantee(String config) {
        this.config = config;
    }

    /** The value of {@code processing.guarantee}, for example {@code exactly_once_v2}. */
    public String config() {
        return config;
    }

    /**
     * The guarantee named {@code text} ({@code exactly_once_v2} or {@code at_least_once}).
     *
     * @throws IllegalArgumentException naming the values allowed
     */
    public static ProcessingGuarantee parse(String text) {
        return Arrays.stream(values())
                .filter(g -> g.config.equals(text))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "--processing-guarantee must be one of "
                                                + Arrays.stream(values())
                                                        .map(ProcessingGuarantee::config)
                                                        .collect(Collectors.joining(", "))
                                                + ", not '"
                                                + text
                                                + "'"));
    }

    /**
     * This guarantee, checked against the {@code processing.guarantee} of the client config ({@code
     * configured}, null when absent): the config may repeat it, not change it.
     *
     * @throws IllegalArgumentException naming the key, its value and the command-line option
     */
    String checkedAgainst(Object configured) {
        if (configured != null && !config.equals(configured.toString().trim())) {
            throw new IllegalArgumentException(
                    "the --config file sets "
                            + StreamsConfig.PROCESSING_GUARANTEE_CONFIG
                            + "="
                            + configured
                            + ", but analyze runs "
                            + config
                            + (this == EXACTLY_ONCE_V2
                                    ? " unless --processing-guarantee at_least_once is given:"
                                            + " remove the key or give the option"
                                    : " as --processing-guarantee says: remove the key"));
        }
        return config;
    }
}
