package io.loadstream.schemas.registry;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connection settings of a schema registry, read from the same property names that Confluent's
 * client uses so one client properties file serves both: {@code schema.registry.url} (a
 * comma-separated list), {@code basic.auth.credentials.source} with {@code basic.auth.user.info},
 * {@code schema.registry.ssl.truststore.*} and {@code schema.registry.ssl.keystore.*}. Without
 * stores the JDK's default trust applies.
 *
 * <p>Basic-auth credentials sent to a plain {@code http://} URL cross the network readable by
 * anyone on the path, so building such a config logs a warning naming the URL, once per URL in the
 * process (a config may be built per client). A loopback URL is exempt: its traffic never leaves
 * the machine. {@link #toString()} masks the password.
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
    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryConfig.class);

    /** URLs warned about already, so that the warning comes once per URL. */
    private static final Set<String> warnedCleartextUrls = ConcurrentHashMap.newKeySet();

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
        if (userInfo.isPresent()) {
            for (String url : cleartextUrls(urls)) {
                if (warnedCleartextUrls.add(url)) {
                    log.warn(
                            "basic-auth credentials ({}) go to the schema registry at {} over"
                                    + " plain http://, unencrypted: use https://",
                            USER_INFO,
                            withoutPassword(url));
                }
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

    /**
     * The http:// URLs that basic-auth credentials would cross the network to in clear text: every
     * plain http:// URL but a loopback one ({@code localhost}, {@code 127.0.0.0/8}, {@code [::1]}).
     * A host name other than {@code localhost} is not looked up, so it counts as remote.
     */
    static List<String> cleartextUrls(List<String> urls) {
        return urls.stream()
                .filter(url -> url.startsWith("http://"))
                .filter(url -> !isLoopback(url))
                .toList();
    }

    private static boolean isLoopback(String url) {
        String host;
        try {
            host = URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (host == null) {
            return false;
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        boolean literal =
                host.startsWith("[")
                        || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
        if (!literal) {
            return false;
        }
        try {
            // an IP literal is parsed, not looked up
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The settings, with the password of the basic-auth credentials and of any URL masked. */
    @Override
    public String toString() {
        return "SchemaRegistryConfig[urls="
                + urls.stream().map(SchemaRegistryConfig::withoutPassword).toList()
                + ", userInfo="
                + userInfo.map(SchemaRegistryConfig::maskPassword).orElse("(none)")
                + ", sslContext="
                + sslContext.getProtocol()
                + ", timeout="
                + timeout
                + "]";
    }

    /** {@code user:*****}: the user name helps to tell configs apart, the password never shows. */
    private static String maskPassword(String userInfo) {
        int colon = userInfo.indexOf(':');
        return (colon < 0 ? userInfo : userInfo.substring(0, colon)) + ":*****";
    }

    /** The URL with the password of user information in it ({@code http://user:pw@host}) masked. */
    private static String withoutPassword(String url) {
        int authority = url.indexOf("://") + 3;
        int slash = url.indexOf('/', authority);
        int at = url.lastIndexOf('@', slash < 0 ? url.length() : slash);
        if (at < authority) {
            return url;
        }
        return url.substring(0, authority)
                + maskPassword(url.substring(authority, at))
                + url.substring(at);
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
