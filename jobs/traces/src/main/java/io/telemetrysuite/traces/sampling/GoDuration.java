package io.telemetrysuite.traces.sampling;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Durations written the way the Collector's configuration writes them, Go's {@code
 * time.ParseDuration} syntax: one or more decimal numbers each with a unit, {@code ns}, {@code us}
 * (or {@code µs}), {@code ms}, {@code s}, {@code m} or {@code h}, such as {@code 10s}, {@code 100ms},
 * {@code 1m30s} or {@code 1.5h}; a lone {@code 0} is zero. Negative durations are refused: none of the
 * processor's durations means anything below zero.
 */
final class GoDuration {
    private GoDuration() {}

    /** The duration, or null when {@code text} is not a Go duration. */
    static Duration parse(String text) {
        if (text == null || text.isEmpty()) return null;
        String s = text.startsWith("+") ? text.substring(1) : text;
        if (s.equals("0")) return Duration.ZERO;
        if (s.isEmpty() || s.startsWith("-")) return null;
        BigDecimal nanos = BigDecimal.ZERO;
        int i = 0;
        int n = s.length();
        while (i < n) {
            int start = i;
            while (i < n && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) i++;
            String number = s.substring(start, i);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) return null;
            int unitStart = i;
            while (i < n && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') i++;
            long unitNanos = unitNanos(s.substring(unitStart, i));
            if (unitNanos == 0) return null;
            BigDecimal value = new BigDecimal(number.startsWith(".") ? "0" + number : number.endsWith(".") ? number + "0" : number);
            nanos = nanos.add(value.multiply(BigDecimal.valueOf(unitNanos)));
        }
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) return null;
        // Go truncates fractions of a nanosecond.
        return Duration.ofNanos(nanos.longValue());
    }

    private static long unitNanos(String unit) {
        switch (unit) {
            case "ns": return 1L;
            case "us":
            case "\u00b5s":
            case "\u03bcs": return 1_000L;
            case "ms": return 1_000_000L;
            case "s": return 1_000_000_000L;
            case "m": return 60_000_000_000L;
            case "h": return 3_600_000_000_000L;
            default: return 0;
        }
    }
}
