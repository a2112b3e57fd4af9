package io.telemetrysuite.traces.sampling;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * {@code probabilistic}: keeps {@code sampling_percentage} percent of traces, chosen by a salted hash
 * of the trace id, so that the same salt gives the same decision for the same trace id here and in
 * the Collector (and every Collector or subtask agrees without talking to each other).
 *
 * <p>The Collector's algorithm, ported bit for bit: the hash is 64-bit FNV-1a over the UTF-8 bytes of
 * {@code hash_salt} (default {@code default-hash-seed}) followed by the 16 trace id bytes; the
 * threshold is {@code 2^64-1} multiplied by {@code sampling_percentage / 100} in Go's {@code
 * big.Float} (64-bit mantissa, round half to even) and truncated to an unsigned 64-bit integer
 * (saturating at {@code 2^64-1}); the trace is kept when {@code hash <= threshold}, unsigned.
 */
public final class ProbabilisticPolicy implements TracePolicy {
    private static final long serialVersionUID = 1L;
    public static final String DEFAULT_HASH_SALT = "default-hash-seed";

    private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private final byte[] salt;
    private final long threshold;

    public ProbabilisticPolicy(String hashSalt, double samplingPercentage) {
        String s = hashSalt == null || hashSalt.isEmpty() ? DEFAULT_HASH_SALT : hashSalt;
        this.salt = s.getBytes(StandardCharsets.UTF_8);
        this.threshold = threshold(samplingPercentage / 100);
    }

    @Override
    public PolicyDecision evaluate(TraceData trace) {
        return Long.compareUnsigned(hash(salt, trace.traceIdBytes()), threshold) <= 0
                ? PolicyDecision.SAMPLED
                : PolicyDecision.NOT_SAMPLED;
    }

    /** FNV-1a, 64 bits, over the salt and then the trace id bytes. */
    static long hash(byte[] salt, byte[] traceId) {
        long h = FNV_OFFSET_BASIS;
        for (byte b : salt) {
            h ^= (b & 0xff);
            h *= FNV_PRIME;
        }
        for (byte b : traceId) {
            h ^= (b & 0xff);
            h *= FNV_PRIME;
        }
        return h;
    }

    /**
     * {@code calculateThreshold(ratio)}: {@code big.Float(MaxUint64) * big.NewFloat(ratio)} at the
     * receiver's 64-bit precision, then {@code Uint64()} (toward zero, clamped to [0, 2^64-1]).
     * Returned as the unsigned value's bits.
     */
    static long threshold(double ratio) {
        if (!(ratio > 0)) return 0;
        if (Double.isInfinite(ratio)) return -1L;
        // ratio = mantissa * 2^exponent exactly, with a 53-bit integer mantissa.
        long bits = Double.doubleToRawLongBits(ratio);
        int rawExponent = (int) ((bits >>> 52) & 0x7ff);
        long mantissa = bits & 0xfffffffffffffL;
        int exponent;
        if (rawExponent == 0) {
            exponent = -1074;
        } else {
            mantissa |= 1L << 52;
            exponent = rawExponent - 1075;
        }
        BigInteger product = MAX_UINT64.multiply(BigInteger.valueOf(mantissa));
        // Round the exact product to 64 significant bits, half to even, as big.Float.Mul does.
        int shift = product.bitLength() - 64;
        if (shift > 0) {
            BigInteger kept = product.shiftRight(shift);
            BigInteger rest = product.subtract(kept.shiftLeft(shift));
            BigInteger half = BigInteger.ONE.shiftLeft(shift - 1);
            int cmp = rest.compareTo(half);
            if (cmp > 0 || (cmp == 0 && kept.testBit(0))) kept = kept.add(BigInteger.ONE);
            product = kept.shiftLeft(shift);
        }
        BigInteger value = exponent >= 0 ? product.shiftLeft(exponent) : product.shiftRight(-exponent);
        if (value.compareTo(MAX_UINT64) > 0) return -1L;
        return value.longValue();
    }
}
