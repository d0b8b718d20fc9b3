package io.loadstream.schemas.rules;

import java.util.regex.Pattern;

/**
 * A rule's scope pattern for a run id, scenario or endpoint: {@code *} matches any run of
 * characters, {@code ?} any one, everything else itself. A null pattern matches everything.
 *
 * <pre>{@code
 * GlobPattern.of("checkout-*").matches("checkout-pay")  // true
 * }</pre>
 */
public final class GlobPattern {

    private static final GlobPattern ANY =
            new GlobPattern("*", Pattern.compile(".*", Pattern.DOTALL));

    private final String text;
    private final Pattern regex;

    private GlobPattern(String text, Pattern regex) {
        this.text = text;
        this.regex = regex;
    }

    /** The pattern written as {@code text}; everything when null or blank. */
    public static GlobPattern of(String text) {
        if (text == null || text.isBlank() || text.equals("*")) {
            return ANY;
        }
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return new GlobPattern(text, Pattern.compile(regex.toString(), Pattern.DOTALL));
    }

    public boolean matches(String value) {
        return regex.matcher(value).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
