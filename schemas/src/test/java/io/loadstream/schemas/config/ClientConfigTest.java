package io.loadstream.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientConfigTest {

    @Test
    void shouldLetFileOverrideDefaultsAndFlagOverrideFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(
                file,
                "bootstrap.servers=from-file:9092\n"
                        + "security.protocol=SASL_SSL\n"
                        + "compression.type=zstd\n");

        ClientConfig config = ClientConfig.load(file, "from-flag:9092");

        assertThat(config.bootstrapServers()).isEqualTo("from-flag:9092");
        assertThat(config.producer())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("compression.type", "zstd")
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", true);
        assertThat(config.consumer("g")).containsEntry("group.id", "g");
    }

    @Test
    void shouldNameMissingFileAndMissingBootstrap(@TempDir Path dir) {
        assertThatThrownBy(() -> ClientConfig.load(dir.resolve("nope.properties"), "b:9092"))
                .hasMessageContaining("nope.properties does not exist");
        assertThatThrownBy(() -> ClientConfig.load(null, null))
                .hasMessageContaining("--bootstrap-servers");
    }
}
