package io.telemetrysuite.ingest.sample;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Flink serializer for {@link SpanEnvelope}, the record that crosses the keyBy(traceId) shuffle.
 * Replaces the reflective {@code PojoSerializer}: strings go as a length and their UTF-8 bytes in one
 * write (ids, names and routes are ASCII, for which the JDK's encoder and decoder are array copies),
 * byte arrays as a length and one write. A {@code null} string, list or array has length -1.
 *
 * <p>Layout: flags (bit 0: error), traceId, spanId, serviceName, route, start, end, violations
 * (count, strings), resource, scope, span, adjustedCount, sampledBy. Any change to it must bump
 * {@link Snapshot}'s version; the envelope only travels between operators and is kept in no state.
 */
public final class SpanEnvelopeSerializer extends TypeSerializerSingleton<SpanEnvelope> {
    private static final long serialVersionUID = 1L;

    public static final SpanEnvelopeSerializer INSTANCE = new SpanEnvelopeSerializer();

    private static final int FLAG_ERROR = 1;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public SpanEnvelope createInstance() {
        return new SpanEnvelope();
    }

    @Override
    public SpanEnvelope copy(SpanEnvelope from) {
        SpanEnvelope to = new SpanEnvelope();
        to.traceId = from.traceId;
        to.spanId = from.spanId;
        to.serviceName = from.serviceName;
        to.startTimeUnixNano = from.startTimeUnixNano;
        to.endTimeUnixNano = from.endTimeUnixNano;
        to.error = from.error;
        to.route = from.route;
        to.violations = from.violations == null ? null : new ArrayList<>(from.violations);
        to.resource = from.resource == null ? null : from.resource.clone();
        to.scope = from.scope == null ? null : from.scope.clone();
        to.span = from.span == null ? null : from.span.clone();
        to.adjustedCount = from.adjustedCount;
        to.sampledBy = from.sampledBy;
        return to;
    }

    @Override
    public SpanEnvelope copy(SpanEnvelope from, SpanEnvelope reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(SpanEnvelope record, DataOutputView out) throws IOException {
        out.writeByte(record.error ? FLAG_ERROR : 0);
        writeString(record.traceId, out);
        writeString(record.spanId, out);
        writeString(record.serviceName, out);
        writeString(record.route, out);
        out.writeLong(record.startTimeUnixNano);
        out.writeLong(record.endTimeUnixNano);
        List<String> violations = record.violations;
        if (violations == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(violations.size());
            for (String violation : violations) writeString(violation, out);
        }
        writeBytes(record.resource, out);
        writeBytes(record.scope, out);
        writeBytes(record.span, out);
        out.writeDouble(record.adjustedCount);
        writeString(record.sampledBy, out);
    }

    @Override
    public SpanEnvelope deserialize(DataInputView in) throws IOException {
        SpanEnvelope record = new SpanEnvelope();
        record.error = (in.readByte() & FLAG_ERROR) != 0;
        record.traceId = readString(in);
        record.spanId = readString(in);
        record.serviceName = readString(in);
        record.route = readString(in);
        record.startTimeUnixNano = in.readLong();
        record.endTimeUnixNano = in.readLong();
        int violations = in.readInt();
        if (violations < 0) {
            record.violations = null;
        } else {
            List<String> list = new ArrayList<>(violations);
            for (int i = 0; i < violations; i++) list.add(readString(in));
            record.violations = list;
        }
        record.resource = readBytes(in);
        record.scope = readBytes(in);
        record.span = readBytes(in);
        record.adjustedCount = in.readDouble();
        record.sampledBy = readString(in);
        return record;
    }

    @Override
    public SpanEnvelope deserialize(SpanEnvelope reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        target.writeByte(source.readByte());
        for (int i = 0; i < 4; i++) copyChunk(source, target);
        target.writeLong(source.readLong());
        target.writeLong(source.readLong());
        int violations = source.readInt();
        target.writeInt(violations);
        for (int i = 0; i < violations; i++) copyChunk(source, target);
        for (int i = 0; i < 3; i++) copyChunk(source, target);
        target.writeDouble(source.readDouble());
        copyChunk(source, target);
    }

    @Override
    public TypeSerializerSnapshot<SpanEnvelope> snapshotConfiguration() {
        return new Snapshot();
    }

    // ---- length-prefixed chunks: a string's UTF-8 bytes or a byte array; -1 is null

    private static void writeString(String value, DataOutputView out) throws IOException {
        writeBytes(value == null ? null : value.getBytes(StandardCharsets.UTF_8), out);
    }

    private static String readString(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length < 0) return null;
        if (length == 0) return "";
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void writeBytes(byte[] value, DataOutputView out) throws IOException {
        if (value == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(value.length);
            out.write(value);
        }
    }

    private static byte[] readBytes(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length < 0) return null;
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    private static void copyChunk(DataInputView source, DataOutputView target) throws IOException {
        int length = source.readInt();
        target.writeInt(length);
        if (length > 0) target.write(source, length);
    }

    /** Restores {@link #INSTANCE}; the format has no parameters, so any snapshot of this version is compatible. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SpanEnvelope> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
