package io.loadstream.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadstream.schemas.config.ClientConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exactly-once is given up only on the command line, never by a --config file. */
class ProcessingGuaranteeTest {

    @TempDir Path dir;

    @Test
    void shouldRefuseAConfigFileThatDowngradesExactlyOnce() throws Exception {
        ClientConfig sasl =
                config("security.protocol=SASL_SSL\nprocessing.guarantee=at_least_once\n");

        assertThatThrownBy(() -> AnalyzeApp.streamsConfig(sasl, "analyze", 1, dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "the --config file sets processing.guarantee=at_least_once, but analyze"
                                + " runs exactly_once_v2 unless --processing-guarantee"
                                + " at_least_once is given: remove the key or give the option");
    }

    @Test
    void shouldRunAtLeastOnceWhenTheOptionAsksForIt() throws Exception {
        ClientConfig sasl = config("processing.guarantee=at_least_once\n");

        Map<String, Object> props =
                AnalyzeApp.streamsConfig(
                        sasl, "analyze", 1, dir, ProcessingGuarantee.parse("at_least_once"));

        assertThat(props).containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "at_least_once");
        assertThat(
                        AnalyzeApp.streamsConfig(
                                config(""), "analyze", 1, dir, ProcessingGuarantee.AT_LEAST_ONCE))
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "at_least_once");
    }

    @Test
    void shouldRunExactlyOnceByDefault() throws Exception {
        assertThat(AnalyzeApp.streamsConfig(config(""), "analyze", 1, dir))
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "exactly_once_v2");
        assertThat(
                        AnalyzeApp.streamsConfig(
                                config("processing.guarantee=exactly_once_v2\n"),
                                "analyze",
                                1,
                                dir))
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "exactly_once_v2");
    }

    @Test
    void shouldRefuseAnUnknownGuaranteeOnTheCommandLine() {
        assertThatThrownBy(() -> ProcessingGuarantee.parse("exactly_once"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "--processing-guarantee must be one of exactly_once_v2, at_least_once,"
                                + " not 'exactly_once'");
    }

    private ClientConfig config(String properties) throws Exception {
        Path file = Files.writeString(dir.resolve("client.properties"), properties);
        return ClientConfig.load(file, "127.0.0.1:9092");
    }
}
