package io.telemetrysuite.model;

import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8 strings that repeat across spans (service and span names, kinds, status codes,
 * attribute keys, resource attributes) to one shared {@code String} per value, so that spans held in
 * keyed state for a decision wait do not each carry their own copies, and the copies' hash codes are
 * computed once. A fixed table of slots indexed by a hash of the bytes; a miss overwrites its slot.
 *
 * <p>Shared by every thread of the JVM without locks: a slot holds a reference to an immutable
 * {@code String} (safely published through its final fields), so a racing reader sees either the old
 * or the new string, and both decode the same way. Only ASCII strings of up to {@link #MAX_LENGTH}
 * bytes are kept; the trade-off is a bounded table that high-cardinality values (ids, URLs) would only
 * churn, which is why callers do not route ids through it.
 */
final class CanonicalStrings {
    static final int MAX_LENGTH = 64;
    private static final int SLOTS = 1 << 13;
    private static final String[] TABLE = new String[SLOTS];

    private CanonicalStrings() {}

    /** The string of {@code length} UTF-8 bytes at {@code bytes[0..length)}, shared when it was seen before. */
    static String decode(byte[] bytes, int length) {
        if (length == 0) return "";
        if (length > MAX_LENGTH) return new String(bytes, 0, length, StandardCharsets.UTF_8);
        int hash = 0;
        boolean ascii = true;
        for (int i = 0; i < length; i++) {
            byte b = bytes[i];
            hash = 31 * hash + b;
            ascii &= b >= 0;
        }
        if (!ascii) return new String(bytes, 0, length, StandardCharsets.UTF_8);
        int slot = (hash ^ (hash >>> 13)) & (SLOTS - 1);
        String cached = TABLE[slot];
        if (cached != null && sameAscii(cached, bytes, length)) return cached;
        String decoded = new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
        TABLE[slot] = decoded;
        return decoded;
    }

    private static boolean sameAscii(String s, byte[] bytes, int length) {
        if (s.length() != length) return false;
        for (int i = 0; i < length; i++) {
            if (s.charAt(i) != bytes[i]) return false;
        }
        return true;
    }
}
