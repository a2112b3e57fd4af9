package io.telemetrysuite.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer for {@link Span}: what crosses the trace job's keyBy(traceId) and what its
 * assembler holds in keyed state for a decision wait. Replaces the reflective {@code PojoSerializer}
 * (a null flag and a reflective field write per field, {@code StringSerializer}'s char-by-char
 * encoding, {@code MapSerializer}'s null flags per value). Strings go as a length and their UTF-8
 * bytes in one write; on reading, the values that repeat across spans (names, kinds, status codes,
 * attribute keys, resource attributes, short attribute values) decode to shared instances
 * ({@link CanonicalStrings}), ids and messages to their own. A {@code null} string, map or list has
 * length -1; elements of the lists must not be null.
 *
 * <p>Layout, version 1: traceId, spanId, parentSpanId, traceState, name, kind, start, end, statusCode,
 * statusMessage, serviceName, scopeName, scopeVersion, attributes, resourceAttributes, events (time,
 * name, attributes), links (traceId, spanId, traceState, attributes), flags, the three dropped counts,
 * adjustedCount, sampledBy, violations. Any change to the layout must bump {@link Snapshot}'s version
 * and read the old one: savepoints of the trace job hold spans in this format.
 */
public final class SpanSerializer extends TypeSerializerSingleton<Span> {
    private static final long serialVersionUID = 1L;

    public static final SpanSerializer INSTANCE = new SpanSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public Span createInstance() {
        return new Span();
    }

    @Override
    public Span copy(Span from) {
        Span to = new Span();
        to.traceId = from.traceId;
        to.spanId = from.spanId;
        to.parentSpanId = from.parentSpanId;
        to.traceState = from.traceState;
        to.name = from.name;
        to.kind = from.kind;
        to.startTimeUnixNano = from.startTimeUnixNano;
        to.endTimeUnixNano = from.endTimeUnixNano;
        to.statusCode = from.statusCode;
        to.statusMessage = from.statusMessage;
        to.serviceName = from.serviceName;
        to.scopeName = from.scopeName;
        to.scopeVersion = from.scopeVersion;
        to.attributes = copyMap(from.attributes);
        to.resourceAttributes = copyMap(from.resourceAttributes);
        if (from.events == null) {
            to.events = null;
        } else {
            to.events = new ArrayList<>(from.events.size());
            for (SpanEvent e : from.events) to.events.add(new SpanEvent(e.timeUnixNano, e.name, copyMap(e.attributes)));
        }
        if (from.links == null) {
            to.links = null;
        } else {
            to.links = new ArrayList<>(from.links.size());
            for (SpanLink l : from.links) to.links.add(new SpanLink(l.traceId, l.spanId, l.traceState, copyMap(l.attributes)));
        }
        to.flags = from.flags;
        to.droppedAttributesCount = from.droppedAttributesCount;
        to.droppedEventsCount = from.droppedEventsCount;
        to.droppedLinksCount = from.droppedLinksCount;
        to.adjustedCount = from.adjustedCount;
        to.sampledBy = from.sampledBy;
        to.violations = from.violations == null ? null : new ArrayList<>(from.violations);
        return to;
    }

    @Override
    public Span copy(Span from, Span reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(Span span, DataOutputView out) throws IOException {
        writeString(span.traceId, out);
        writeString(span.spanId, out);
        writeString(span.parentSpanId, out);
        writeString(span.traceState, out);
        writeString(span.name, out);
        writeString(span.kind, out);
        out.writeLong(span.startTimeUnixNano);
        out.writeLong(span.endTimeUnixNano);
        writeString(span.statusCode, out);
        writeString(span.statusMessage, out);
        writeString(span.serviceName, out);
        writeString(span.scopeName, out);
        writeString(span.scopeVersion, out);
        writeMap(span.attributes, out);
        writeMap(span.resourceAttributes, out);
        if (span.events == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(span.events.size());
            for (SpanEvent e : span.events) {
                out.writeLong(e.timeUnixNano);
                writeString(e.name, out);
                writeMap(e.attributes, out);
            }
        }
        if (span.links == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(span.links.size());
            for (SpanLink l : span.links) {
                writeString(l.traceId, out);
                writeString(l.spanId, out);
                writeString(l.traceState, out);
                writeMap(l.attributes, out);
            }
        }
        out.writeInt(span.flags);
        out.writeInt(span.droppedAttributesCount);
        out.writeInt(span.droppedEventsCount);
        out.writeInt(span.droppedLinksCount);
        out.writeDouble(span.adjustedCount);
        writeString(span.sampledBy, out);
        if (span.violations == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(span.violations.size());
            for (String v : span.violations) writeString(v, out);
        }
    }

    @Override
    public Span deserialize(DataInputView in) throws IOException {
        Span span = new Span();
        span.traceId = readString(in);
        span.spanId = readString(in);
        span.parentSpanId = readString(in);
        span.traceState = readCanonical(in);
        span.name = readCanonical(in);
        span.kind = readCanonical(in);
        span.startTimeUnixNano = in.readLong();
        span.endTimeUnixNano = in.readLong();
        span.statusCode = readCanonical(in);
        span.statusMessage = readString(in);
        span.serviceName = readCanonical(in);
        span.scopeName = readCanonical(in);
        span.scopeVersion = readCanonical(in);
        span.attributes = readMap(in);
        span.resourceAttributes = readMap(in);
        int events = in.readInt();
        if (events < 0) {
            span.events = null;
        } else {
            List<SpanEvent> list = new ArrayList<>(events);
            for (int i = 0; i < events; i++) {
                long time = in.readLong();
                list.add(new SpanEvent(time, readCanonical(in), readMap(in)));
            }
            span.events = list;
        }
        int links = in.readInt();
        if (links < 0) {
            span.links = null;
        } else {
            List<SpanLink> list = new ArrayList<>(links);
            for (int i = 0; i < links; i++) {
                list.add(new SpanLink(readString(in), readString(in), readCanonical(in), readMap(in)));
            }
            span.links = list;
        }
        span.flags = in.readInt();
        span.droppedAttributesCount = in.readInt();
        span.droppedEventsCount = in.readInt();
        span.droppedLinksCount = in.readInt();
        span.adjustedCount = in.readDouble();
        span.sampledBy = readCanonical(in);
        int violations = in.readInt();
        if (violations < 0) {
            span.violations = null;
        } else {
            List<String> list = new ArrayList<>(violations);
            for (int i = 0; i < violations; i++) list.add(readCanonical(in));
            span.violations = list;
        }
        return span;
    }

    @Override
    public Span deserialize(Span reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        // Rare (only when Flink moves serialized records between buffers), so not worth a second walker of the layout.
        serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<Span> snapshotConfiguration() {
        return new Snapshot();
    }

    // ---- strings: length-prefixed UTF-8, -1 is null

    private static void writeString(String value, DataOutputView out) throws IOException {
        if (value == null) {
            out.writeInt(-1);
        } else if (value.isEmpty()) {
            out.writeInt(0);
        } else {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    private static String readString(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length < 0) return null;
        if (length == 0) return "";
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String readCanonical(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length < 0) return null;
        if (length == 0) return "";
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return CanonicalStrings.decode(bytes, length);
    }

    private static void writeMap(Map<String, String> map, DataOutputView out) throws IOException {
        if (map == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            writeString(e.getKey(), out);
            writeString(e.getValue(), out);
        }
    }

    /** A mutable {@link HashMap}, as the model's fields are declared with. */
    private static Map<String, String> readMap(DataInputView in) throws IOException {
        int size = in.readInt();
        if (size < 0) return null;
        Map<String, String> map = new HashMap<>(size < 3 ? size + 1 : (int) (size / 0.75f) + 1);
        for (int i = 0; i < size; i++) map.put(readCanonical(in), readCanonical(in));
        return map;
    }

    private static Map<String, String> copyMap(Map<String, String> map) {
        return map == null ? null : new HashMap<>(map);
    }

    /**
     * Restores {@link #INSTANCE}. Besides its own snapshots it accepts the {@code PojoSerializer}'s
     * snapshot of {@link Span} (how savepoints taken before this serializer existed describe their
     * span state) as compatible after migration: Flink reads that state with the old serializer and
     * writes it in this format.
     */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Span> {
        public Snapshot() {
            super(() -> INSTANCE);
        }

        @Override
        public TypeSerializerSchemaCompatibility<Span> resolveSchemaCompatibility(TypeSerializerSnapshot<Span> oldSnapshot) {
            if (oldSnapshot instanceof PojoSerializerSnapshot && oldSnapshot.restoreSerializer().createInstance() instanceof Span) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return super.resolveSchemaCompatibility(oldSnapshot);
        }
    }
}
