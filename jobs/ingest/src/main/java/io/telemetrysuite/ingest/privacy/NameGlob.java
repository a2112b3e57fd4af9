package io.telemetrysuite.ingest.privacy;

import java.io.Serializable;

/**
 * An attribute-name pattern where {@code *} stands for any run of characters, dots included
 * ({@code *.email}, {@code enduser.*}, {@code http.request.header.*}). Matched by hand because the
 * patterns are this simple and regex matching per attribute key would cost more than the rest of
 * redaction.
 */
final class NameGlob implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String[] parts;
    private final boolean anchoredStart;
    private final boolean anchoredEnd;

    NameGlob(String glob) {
        this.parts = glob.split("\\*+", -1);
        this.anchoredStart = !glob.startsWith("*");
        this.anchoredEnd = !glob.endsWith("*");
    }

    static boolean isGlob(String name) {
        return name.indexOf('*') >= 0;
    }

    boolean matches(String name) {
        int from = 0;
        int last = parts.length - 1;
        for (int i = 0; i <= last; i++) {
            String part = parts[i];
            if (part.isEmpty()) continue;
            if (i == 0 && anchoredStart) {
                if (!name.startsWith(part)) return false;
                from = part.length();
            } else if (i == last && anchoredEnd) {
                return name.length() - part.length() >= from && name.endsWith(part);
            } else {
                int at = name.indexOf(part, from);
                if (at < 0) return false;
                from = at + part.length();
            }
        }
        return !anchoredEnd || from == name.length();
    }
}
