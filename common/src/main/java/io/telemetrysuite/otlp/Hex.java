package io.telemetrysuite.otlp;

import com.google.protobuf.ByteString;

/**
 * Lowercase hex for trace and span ids, the form the event model, OTLP JSON and every trace UI use.
 * Table-driven because it runs for every span, link and log record on the ingest hot path.
 */
public final class Hex {
    /** Length of a valid trace id in bytes (32 hex digits). */
    public static final int TRACE_ID_BYTES = 16;
    /** Length of a valid span id in bytes (16 hex digits). */
    public static final int SPAN_ID_BYTES = 8;

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();
    /** Value of each ASCII character as a hex digit, -1 when it is none; upper case is accepted. */
    private static final byte[] VALUES = new byte[128];

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < 10; i++) VALUES['0' + i] = (byte) i;
        for (int i = 0; i < 6; i++) {
            VALUES['a' + i] = (byte) (10 + i);
            VALUES['A' + i] = (byte) (10 + i);
        }
    }

    private Hex() {}

    /** The bytes as lowercase hex; the empty string for no bytes. */
    public static String encode(ByteString bytes) {
        int n = bytes.size();
        if (n == 0) return "";
        char[] out = new char[n * 2];
        for (int i = 0; i < n; i++) {
            int b = bytes.byteAt(i) & 0xff;
            out[2 * i] = DIGITS[b >>> 4];
            out[2 * i + 1] = DIGITS[b & 0x0f];
        }
        return new String(out);
    }

    /**
     * Decodes hex digits (either case).
     *
     * @throws IllegalArgumentException naming the odd length or the first character that is not a hex
     *     digit and its index
     */
    public static byte[] decode(CharSequence hex) {
        int n = hex.length();
        if ((n & 1) != 0) {
            throw new IllegalArgumentException("odd number of hex digits (" + n + ")");
        }
        byte[] out = new byte[n / 2];
        for (int i = 0; i < n; i += 2) {
            out[i / 2] = (byte) (digit(hex, i) << 4 | digit(hex, i + 1));
        }
        return out;
    }

    private static int digit(CharSequence hex, int index) {
        char c = hex.charAt(index);
        int v = c < 128 ? VALUES[c] : -1;
        if (v < 0) {
            throw new IllegalArgumentException("'" + c + "' at index " + index + " is not a hex digit");
        }
        return v;
    }

    /** A valid trace id: 16 bytes, not all zero (the W3C and OTLP rule). */
    public static boolean isValidTraceId(ByteString id) {
        return id.size() == TRACE_ID_BYTES && !allZero(id);
    }

    /** A valid span id: 8 bytes, not all zero (the W3C and OTLP rule). */
    public static boolean isValidSpanId(ByteString id) {
        return id.size() == SPAN_ID_BYTES && !allZero(id);
    }

    /** True for no bytes as well: both mean "no id" where an id is optional. */
    public static boolean allZero(ByteString id) {
        for (int i = 0, n = id.size(); i < n; i++) {
            if (id.byteAt(i) != 0) return false;
        }
        return true;
    }
}
