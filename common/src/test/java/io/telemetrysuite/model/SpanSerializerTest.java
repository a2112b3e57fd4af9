package io.telemetrysuite.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.testing.ModelFixtures;
import io.telemetrysuite.testing.SpanPojoTypeInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.TypeExtractor;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * Flink's own serializer test base (copy, serialize, snapshot and restore, duplicate, concurrency) on
 * {@link SpanSerializer}, plus the migration from the {@code PojoSerializer} format that savepoints
 * taken before it hold.
 */
class SpanSerializerTest extends SerializerTestBase<Span> {

    @Override
    protected TypeSerializer<Span> createSerializer() {
        return SpanSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<Span> getTypeClass() {
        return Span.class;
    }

    @Override
    protected Span[] getTestData() {
        Span full = ModelFixtures.span();

        Span nulls = new Span();
        nulls.parentSpanId = null;
        nulls.attributes = null;
        nulls.resourceAttributes = null;
        nulls.events = null;
        nulls.links = null;
        nulls.violations = null;
        nulls.sampledBy = null;

        Span unicode = ModelFixtures.span();
        unicode.serviceName = "zahlungsdienst-ß-東京-😀";
        unicode.name = "GET /päth";
        unicode.statusMessage = "x".repeat(5_000);
        unicode.attributes = new HashMap<>(Map.of("long.value", "v".repeat(CanonicalStrings.MAX_LENGTH + 1), "ümlaut", "ö", "", ""));
        unicode.events = new ArrayList<>(List.of(new SpanEvent(1, "a", new HashMap<>()), new SpanEvent(2, "b", null)));
        unicode.links = new ArrayList<>(List.of(new SpanLink(null, null, null, null)));
        unicode.startTimeUnixNano = Long.MIN_VALUE;
        unicode.endTimeUnixNano = Long.MAX_VALUE;
        unicode.adjustedCount = Double.MIN_VALUE;
        unicode.flags = -1;

        return new Span[] {full, nulls, unicode, new Span()};
    }

    @Test
    void typeExtractionUsesTheHandWrittenSerializerNotPojoOrKryo() {
        TypeInformation<Span> info = TypeInformation.of(Span.class);
        assertThat(info).isEqualTo(SpanTypeInfo.INSTANCE);
        assertThat(TypeExtractor.createTypeInfo(Span.class)).isEqualTo(SpanTypeInfo.INSTANCE);
        assertThat(info.createSerializer(new ExecutionConfig().getSerializerConfig())).isSameAs(SpanSerializer.INSTANCE);
    }

    @Test
    void repeatedValuesDecodeToSharedStringsIdsDoNot() throws Exception {
        Span a = roundTrip(ModelFixtures.span());
        Span b = roundTrip(ModelFixtures.span());
        assertThat(a.serviceName).isSameAs(b.serviceName);
        assertThat(a.kind).isSameAs(b.kind);
        assertThat(a.attributes.keySet().iterator().next()).isSameAs(b.attributes.keySet().iterator().next());
        assertThat(a.traceId).isEqualTo(b.traceId).isNotSameAs(b.traceId);
        // Decoded maps and lists stay mutable, as the model declares them.
        a.attributes.put("added", "later");
        a.events.add(new SpanEvent());
        a.violations.add("another");
    }

    /**
     * Savepoints taken before this serializer hold span state written by the {@code PojoSerializer}:
     * the new snapshot must accept the old one as compatible after migration (not incompatible, which
     * would fail the restore), and the old serializer restored from that snapshot must read what was
     * written, for Flink to write it again in the new format.
     */
    @Test
    void acceptsThePojoSerializerSnapshotOfSpanAsCompatibleAfterMigration() throws Exception {
        TypeSerializer<Span> pojo = pojoSerializerAsBefore();
        assertThat(pojo).isInstanceOf(PojoSerializer.class);
        DataOutputSerializer snapshotBytes = new DataOutputSerializer(1024);
        TypeSerializerSnapshot.writeVersionedSnapshot(snapshotBytes, pojo.snapshotConfiguration());
        TypeSerializerSnapshot<Span> old = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(snapshotBytes.getCopyOfBuffer()), getClass().getClassLoader());

        TypeSerializerSchemaCompatibility<Span> compatibility = SpanSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(old);
        assertThat(compatibility.isCompatibleAfterMigration()).isTrue();

        Span written = ModelFixtures.span();
        DataOutputSerializer state = new DataOutputSerializer(1024);
        pojo.serialize(written, state);
        Span read = old.restoreSerializer().deserialize(new DataInputDeserializer(state.getCopyOfBuffer()));
        assertThat(roundTrip(read)).isEqualTo(written);
    }

    @Test
    void refusesSnapshotsOfOtherTypes() throws Exception {
        @SuppressWarnings({"unchecked", "rawtypes"})
        TypeSerializerSnapshot<Span> other = (TypeSerializerSnapshot) TypeInformation.of(SpanEvent.class)
                .createSerializer(new SerializerConfigImpl()).snapshotConfiguration();
        assertThat(SpanSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(other).isIncompatible()).isTrue();
    }

    /** The serializer the type extractor built for {@link Span} before {@code @TypeInfo}. */
    private static TypeSerializer<Span> pojoSerializerAsBefore() {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        return SpanPojoTypeInfo.asBefore().createSerializer(config);
    }

    private static Span roundTrip(Span span) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        SpanSerializer.INSTANCE.serialize(span, out);
        return SpanSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
