package io.telemetrysuite.ingest.privacy;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the enabled {@link MaskPattern}s inside a string and replaces each with its token.
 *
 * <p>Most values hold none of them, so one pass over the characters first counts what each pattern
 * needs ('@' for an email, three dots for IPv4, two colons for IPv6, 13 digits for a card) and only
 * the patterns that could match run. Card numbers are found by a scanner, not a regex: grouping,
 * length, issuer digit and the Luhn check are easier to state, and cheaper, in code. The matchers are
 * reused, so an instance belongs to one thread.
 */
final class PatternMasker {
    /** Emails; the lookbehind makes only the start of a run a candidate, keeping long runs linear. */
    private static final Pattern EMAIL = Pattern.compile(
            "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}(?![A-Za-z0-9-])");

    private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final String V4 = "(?:" + OCTET + "\\.){3}" + OCTET;
    /** Not inside a longer dotted number or word ({@code v1.2.3.4}, {@code 1.2.3.4.5}); a sentence's final dot is fine. */
    private static final Pattern IPV4 = Pattern.compile("(?<![\\w.])" + V4 + "(?![\\w]|\\.[0-9])");

    private static final String H = "[0-9A-Fa-f]{1,4}";
    /**
     * The full and every compressed form, and IPv4-embedded ones ({@code ::ffff:10.0.0.1}); never
     * plain {@code ::}. Bounded by non-word characters so {@code std::vector} and {@code 12:30:45} stay.
     */
    private static final Pattern IPV6 = Pattern.compile("(?<![\\w:.])(?:"
            + "::(?:ffff(?::0{1,4})?:)?" + V4
            + "|(?:" + H + ":){1,4}:" + V4
            + "|(?:" + H + ":){7}" + H
            + "|(?:" + H + ":){1,7}:"
            + "|(?:" + H + ":){1,6}:" + H
            + "|(?:" + H + ":){1,5}(?::" + H + "){1,2}"
            + "|(?:" + H + ":){1,4}(?::" + H + "){1,3}"
            + "|(?:" + H + ":){1,3}(?::" + H + "){1,4}"
            + "|(?:" + H + ":){1,2}(?::" + H + "){1,5}"
            + "|" + H + ":(?::" + H + "){1,6}"
            + "|:(?::" + H + "){1,7}"
            + ")(?![\\w:]|\\.[0-9])");

    /** A digit run longer than this is a number, not a card; it also caps the scanner's buffers. */
    private static final int MAX_RUN_DIGITS = 40;
    private static final int MAX_RUN_GROUPS = 10;

    private final boolean email;
    private final boolean ipv4;
    private final boolean ipv6;
    private final boolean card;
    private final Matcher emailMatcher = EMAIL.matcher("");
    private final Matcher ipv4Matcher = IPV4.matcher("");
    private final Matcher ipv6Matcher = IPV6.matcher("");
    private final int[] runDigits = new int[MAX_RUN_DIGITS];
    private final int[] groupStart = new int[MAX_RUN_GROUPS];
    private final int[] groupEnd = new int[MAX_RUN_GROUPS];
    private final int[] groupDigitOffset = new int[MAX_RUN_GROUPS + 1];

    PatternMasker(Set<MaskPattern> enabled) {
        this.email = enabled.contains(MaskPattern.EMAIL);
        this.ipv4 = enabled.contains(MaskPattern.IPV4);
        this.ipv6 = enabled.contains(MaskPattern.IPV6);
        this.card = enabled.contains(MaskPattern.CARD);
    }

    /**
     * The value with every match replaced by its token, or the same instance when nothing matched.
     *
     * @param sameLength pad or cut each replacement to the match's length ({@code <email>****}), so that
     *                   raw payloads keep their byte offsets and length prefixes
     */
    String mask(String value, boolean sameLength) {
        int n = value.length();
        int at = 0;
        int dots = 0;
        int colons = 0;
        int digits = 0;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c >= '0' && c <= '9') digits++;
            else if (c == '.') dots++;
            else if (c == ':') colons++;
            else if (c == '@') at++;
        }
        String s = value;
        if (email && at > 0 && dots > 0) s = replace(emailMatcher, s, MaskPattern.EMAIL.token(), sameLength);
        // IPv6 before IPv4, so an IPv4-embedded IPv6 address becomes one token.
        if (ipv6 && colons >= 2) s = replace(ipv6Matcher, s, MaskPattern.IPV6.token(), sameLength);
        if (ipv4 && dots >= 3 && digits >= 4) s = replace(ipv4Matcher, s, MaskPattern.IPV4.token(), sameLength);
        if (card && digits >= 13) s = maskCards(s, sameLength);
        return s;
    }

    private static String replace(Matcher matcher, String s, String token, boolean sameLength) {
        matcher.reset(s);
        if (!matcher.find()) return s;
        StringBuilder sb = new StringBuilder(s.length());
        int last = 0;
        do {
            sb.append(s, last, matcher.start());
            appendToken(sb, token, matcher.end() - matcher.start(), sameLength);
            last = matcher.end();
        } while (matcher.find());
        return sb.append(s, last, s.length()).toString();
    }

    private static void appendToken(StringBuilder sb, String token, int matchLength, boolean sameLength) {
        if (!sameLength) {
            sb.append(token);
            return;
        }
        // Too short for the token: stars alone still say something was masked.
        if (token.length() > matchLength) {
            for (int i = 0; i < matchLength; i++) sb.append('*');
            return;
        }
        sb.append(token);
        for (int i = token.length(); i < matchLength; i++) sb.append('*');
    }

    /**
     * Masks card numbers. A run is digits in groups separated by single spaces or dashes; any span of
     * whole groups with 13 to 19 digits, a first digit of 2 to 6 (the card issuers' industries; it
     * also spares epoch timestamps, which start with 1) and a valid Luhn sum is a card. Runs glued to
     * letters or digits, and decimal fractions ({@code 0.4111...}), are not.
     */
    private String maskCards(String s, boolean sameLength) {
        StringBuilder sb = null;
        int last = 0;
        int n = s.length();
        int i = 0;
        while (i < n) {
            if (!isDigit(s.charAt(i)) || !runMayStartAt(s, i)) {
                i++;
                continue;
            }
            int groups = 0;
            int digitCount = 0;
            int j = i;
            boolean tooLong = false;
            while (true) {
                int start = j;
                while (j < n && isDigit(s.charAt(j))) {
                    if (digitCount < MAX_RUN_DIGITS) runDigits[digitCount] = s.charAt(j) - '0';
                    digitCount++;
                    j++;
                }
                if (groups == MAX_RUN_GROUPS || digitCount > MAX_RUN_DIGITS) {
                    tooLong = true;
                } else {
                    groupStart[groups] = start;
                    groupEnd[groups] = j;
                    groupDigitOffset[groups] = digitCount - (j - start);
                    groups++;
                }
                if (j + 1 < n && (s.charAt(j) == ' ' || s.charAt(j) == '-') && isDigit(s.charAt(j + 1))) {
                    j++;
                } else {
                    break;
                }
            }
            int runEnd = j;
            if (!tooLong) {
                groupDigitOffset[groups] = digitCount;
                boolean endsClean = runMayEndAt(s, runEnd);
                int g = 0;
                while (g < groups) {
                    int match = longestCardFrom(g, groups, endsClean);
                    if (match < 0) {
                        g++;
                        continue;
                    }
                    if (sb == null) sb = new StringBuilder(n);
                    sb.append(s, last, groupStart[g]);
                    appendToken(sb, MaskPattern.CARD.token(), groupEnd[match] - groupStart[g], sameLength);
                    last = groupEnd[match];
                    g = match + 1;
                }
            }
            i = runEnd;
        }
        return sb == null ? s : sb.append(s, last, n).toString();
    }

    /** The last group of the longest card starting at group {@code first}, or -1. */
    private int longestCardFrom(int first, int groups, boolean lastGroupEndsClean) {
        for (int g = groups - 1; g >= first; g--) {
            if (g == groups - 1 && !lastGroupEndsClean) continue;
            int from = groupDigitOffset[first];
            int length = groupDigitOffset[g + 1] - from;
            if (length < 13 || length > 19) continue;
            int issuer = runDigits[from];
            if (issuer >= 2 && issuer <= 6 && luhnValid(from, length)) return g;
        }
        return -1;
    }

    private boolean luhnValid(int from, int length) {
        int sum = 0;
        boolean doubled = false;
        for (int k = from + length - 1; k >= from; k--) {
            int d = runDigits[k];
            if (doubled) {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }

    private static boolean runMayStartAt(String s, int i) {
        if (i == 0) return true;
        char before = s.charAt(i - 1);
        if (Character.isLetterOrDigit(before)) return false;
        return !((before == '.' || before == ',') && i >= 2 && isDigit(s.charAt(i - 2)));
    }

    private static boolean runMayEndAt(String s, int end) {
        if (end >= s.length()) return true;
        char after = s.charAt(end);
        if (Character.isLetterOrDigit(after)) return false;
        return !((after == '.' || after == ',') && end + 1 < s.length() && isDigit(s.charAt(end + 1)));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
