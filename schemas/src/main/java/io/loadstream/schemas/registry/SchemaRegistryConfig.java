package io.loadstream.schemas.registry;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Connection settings of a schema registry, read from the same property names that Confluent's
 * client uses so one client properties file serves both: {@code schema.registry.url} (a
 * comma-separated list), {@code basic.auth.credentials.source} with {@code basic.auth.user.info},
 * {@code schema.registry.ssl.truststore.*} and {@code schema.registry.ssl.keystore.*}. Without
 * stores the JDK's default trust applies.
 *
 * @param urls registry base URLs, tried in order when one cannot be reached
 * @param userInfo {@code user:password} for HTTP basic authentication, if any
 * @param sslContext TLS context for https URLs
 * @param timeout connect and request timeout
 */
public record SchemaRegistryConfig(
        List<String> urls, Optional<String> userInfo, SSLContext sslContext, Duration timeout) {

    public static final String URL = "schema.registry.url";
    public static final String CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String USER_INFO = "basic.auth.user.info";
    public static final String TIMEOUT_MS = "schema.registry.timeout.ms";
    private static final String SSL = "schema.registry.ssl.";

    public SchemaRegistryConfig {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException(URL + " is empty: give the registry's base URL");
        }
        urls =
                urls.stream()
                        .map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u)
                        .toList();
        for (String url : urls) {
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                throw new IllegalArgumentException(
                        URL + " '" + url + "' is not an http:// or https:// URL");
            }
        }
    }

    /** A registry at one URL, without authentication, with the JDK's default TLS trust. */
    public static SchemaRegistryConfig of(String url) {
        return fromProperties(Map.of(URL, url));
    }

    /** Reads the registry settings out of client properties; other keys are ignored. */
    public static SchemaRegistryConfig fromProperties(Map<?, ?> props) {
        String urls = string(props, URL);
        if (urls == null || urls.isBlank()) {
            throw new IllegalArgumentException("missing " + URL);
        }
        return new SchemaRegistryConfig(
                Arrays.stream(urls.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
                userInfo(props),
                sslContext(props),
                Duration.ofMillis(Long.parseLong(stringOr(props, TIMEOUT_MS, "30000"))));
    }

    /** The value of an {@code Authorization} header, if basic authentication is configured. */
    public Optional<String> authorizationHeader() {
        return userInfo.map(info -> "Basic " + Base64.getEncoder().encodeToString(info.getBytes()));
    }

    private static Optional<String> userInfo(Map<?, ?> props) {
        String source = stringOr(props, CREDENTIALS_SOURCE, "USER_INFO");
        if (!source.equals("USER_INFO")) {
            throw new IllegalArgumentException(
                    CREDENTIALS_SOURCE + " '" + source + "' is not supported; use USER_INFO");
        }
        String info = string(props, USER_INFO);
        if (info == null || info.isEmpty()) {
            return Optional.empty();
        }
        if (!info.contains(":")) {
            throw new IllegalArgumentException(USER_INFO + " must have the form user:password");
        }
        return Optional.of(info);
    }

    private static SSLContext sslContext(Map<?, ?> props) {
        String trustStore = string(props, SSL + "truststore.location");
        String keyStore = string(props, SSL + "keystore.location");
        try {
            if (trustStore == null && keyStore == null) {
                return SSLContext.getDefault();
            }
            TrustManagerFactory tmf = null;
            if (trustStore != null) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(load(props, "truststore", trustStore));
            }
            KeyManagerFactory kmf = null;
            if (keyStore != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                String keyPassword =
                        stringOr(
                                props,
                                SSL + "key.password",
                                stringOr(props, SSL + "keystore.password", ""));
                kmf.init(load(props, "keystore", keyStore), keyPassword.toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(
                    kmf == null ? null : kmf.getKeyManagers(),
                    tmf == null ? null : tmf.getTrustManagers(),
                    null);
            return context;
        } catch (Exception e) {
            throw new IllegalArgumentException(
                    "cannot set up TLS for the schema registry: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Map<?, ?> props, String kind, String location) throws Exception {
        String type = stringOr(props, SSL + kind + ".type", KeyStore.getDefaultType());
        String password = stringOr(props, SSL + kind + ".password", "");
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

    private static String string(Map<?, ?> props, String key) {
        Object value = props.get(key);
        return value == null ? null : value.toString();
    }

    private static String stringOr(Map<?, ?> props, String key, String fallback) {
        String value = string(props, key);
        return value == null ? fallback : value;
    }
}
