package io.telemetrysuite.traces.sampling;

/** Hex trace ids to the 16 bytes the Collector hashes. */
final class TraceIds {
    private TraceIds() {}

    /**
     * The id's bytes. OTLP trace ids are 16 bytes; ours are their 32 lowercase hex characters. Anything
     * else (an invalid id ingest let through) hashes as the all-zero id, as an unset
     * {@code pcommon.TraceID} does in the Collector.
     */
    static byte[] toBytes(String hex) {
        byte[] bytes = new byte[16];
        if (hex == null || hex.length() != 32) return bytes;
        for (int i = 0; i < 16; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) return new byte[16];
            bytes[i] = (byte) ((hi << 4) | lo);
        }
        return bytes;
    }
}
