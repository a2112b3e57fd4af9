package io.telemetrysuite.ingest.privacy;

/** The kinds of personal data masked wherever they occur inside string values, each with the token that replaces it. */
public enum MaskPattern {
    EMAIL("<email>"),
    IPV4("<ip>"),
    IPV6("<ip>"),
    /** 13 to 19 digits, optionally grouped by spaces or dashes, Luhn-valid, starting with 2 to 6. */
    CARD("<card>");

    private final String token;

    MaskPattern(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
