package io.loadstream.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;

class SchemaRegistryConfigTest {

    @Test
    void shouldReadUrlsAndBasicAuthFromClientProperties() {
        SchemaRegistryConfig config =
                SchemaRegistryConfig.fromProperties(
                        Map.of(
                                "schema.registry.url", "https://a:8081/, https://b:8081",
                                "basic.auth.credentials.source", "USER_INFO",
                                "basic.auth.user.info", "alice:s3cret"));

        assertThat(config.urls()).containsExactly("https://a:8081", "https://b:8081");
        assertThat(config.authorizationHeader())
                .hasValue("Basic " + Base64.getEncoder().encodeToString("alice:s3cret".getBytes()));
    }

    @Test
    void shouldMaskPasswordsWhenPrinted() {
        SchemaRegistryConfig config =
                SchemaRegistryConfig.fromProperties(
                        Map.of(
                                "schema.registry.url", "https://bob:url-s3cret@a:8081",
                                "basic.auth.user.info", "alice:s3cret"));

        assertThat(config.toString())
                .contains("alice:*****", "https://bob:*****@a:8081")
                .doesNotContain("s3cret");
    }

    @Test
    void shouldWarnOnceOfCredentialsSentOverPlainHttpUnlessToLoopback() {
        String remote = "http://registry-" + UUID.randomUUID() + ".example:8081";
        List<String> warnings = new ArrayList<>();
        try (CapturedWarnings ignored = new CapturedWarnings(warnings)) {
            withCredentials(remote);
            withCredentials(remote);
            withCredentials("https://secure-" + UUID.randomUUID() + ".example:8081");
            withCredentials("http://127.0.0.1:8081");
            withCredentials("http://localhost:8081");
            withCredentials("http://[::1]:8081");
            SchemaRegistryConfig.of("http://plain-" + UUID.randomUUID() + ".example:8081");
        }

        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains(remote, "plain http://").doesNotContain("s3cret");
    }

    private static void withCredentials(String url) {
        SchemaRegistryConfig.fromProperties(
                Map.of("schema.registry.url", url, "basic.auth.user.info", "alice:s3cret"));
    }

    /** Collects the warnings {@link SchemaRegistryConfig} logs while open. */
    private static final class CapturedWarnings extends AbstractAppender implements AutoCloseable {
        private static final String LOGGER = SchemaRegistryConfig.class.getName();
        private final List<String> warnings;

        CapturedWarnings(List<String> warnings) {
            super("captured-warnings", null, null, true, Property.EMPTY_ARRAY);
            this.warnings = warnings;
            start();
            LoggerContext context = LoggerContext.getContext(false);
            Configuration configuration = context.getConfiguration();
            LoggerConfig logger = new LoggerConfig(LOGGER, Level.WARN, false);
            logger.addAppender(this, Level.WARN, null);
            configuration.addLogger(LOGGER, logger);
            context.updateLoggers();
        }

        @Override
        public void append(LogEvent event) {
            warnings.add(event.getMessage().getFormattedMessage());
        }

        @Override
        public void close() {
            LoggerContext context = LoggerContext.getContext(false);
            context.getConfiguration().removeLogger(LOGGER);
            context.updateLoggers();
            stop();
        }
    }

    @Test
    void shouldRejectUrlWithoutHttpScheme() {
        assertThatThrownBy(() -> SchemaRegistryConfig.of("localhost:8081"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'localhost:8081' is not an http:// or https:// URL");
    }

    @Test
    void shouldRejectUserInfoWithoutPassword() {
        assertThatThrownBy(
                        () ->
                                SchemaRegistryConfig.fromProperties(
                                        Map.of(
                                                "schema.registry.url", "http://r:8081",
                                                "basic.auth.user.info", "alice")))
                .hasMessageContaining("user:password");
    }

    @Test
    void shouldNameMissingTrustStore() {
        assertThatThrownBy(
                        () ->
                                SchemaRegistryConfig.fromProperties(
                                        Map.of(
                                                "schema.registry.url",
                                                "https://r:8081",
                                                "schema.registry.ssl.truststore.location",
                                                "/no/such/truststore.jks")))
                .hasMessageContaining("cannot set up TLS")
                .hasMessageContaining("/no/such/truststore.jks");
    }

    @Test
    void shouldParseCompatibilityLevelsAndTheirChecks() {
        assertThat(CompatibilityLevel.parse("full_transitive"))
                .isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);
        assertThat(CompatibilityLevel.parse("sideways")).isNull();
        assertThat(CompatibilityLevel.BACKWARD.checksBackward()).isTrue();
        assertThat(CompatibilityLevel.BACKWARD.checksForward()).isFalse();
        assertThat(CompatibilityLevel.FORWARD_TRANSITIVE.transitive()).isTrue();
        assertThat(CompatibilityLevel.FULL.checksForward()).isTrue();
    }
}
