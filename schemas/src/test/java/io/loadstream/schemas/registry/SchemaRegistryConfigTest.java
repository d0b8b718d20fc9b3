package io.loadstream.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Map;
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
