package io.telemetrysuite.generator;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;

/** Small builders for OTLP protobuf values; the workload prebuilds most of them once and reuses them. */
final class Otlp {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Otlp() {}

    static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static KeyValue kv(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    static AnyValue str(String value) {
        return AnyValue.newBuilder().setStringValue(value).build();
    }

    /** Wraps without copying: the array is fresh and never touched again. */
    static ByteString id(long hi, long lo) {
        byte[] b = new byte[16];
        put(b, 0, hi);
        put(b, 8, lo);
        return UnsafeByteOperations.unsafeWrap(b);
    }

    static ByteString id(long v) {
        byte[] b = new byte[8];
        put(b, 0, v);
        return UnsafeByteOperations.unsafeWrap(b);
    }

    private static void put(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    static String hex(ByteString bytes) {
        char[] out = new char[bytes.size() * 2];
        for (int i = 0; i < bytes.size(); i++) {
            int v = bytes.byteAt(i) & 0xff;
            out[2 * i] = HEX[v >>> 4];
            out[2 * i + 1] = HEX[v & 0xf];
        }
        return new String(out);
    }
}
