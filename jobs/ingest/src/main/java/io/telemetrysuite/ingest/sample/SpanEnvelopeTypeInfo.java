package io.telemetrysuite.ingest.sample;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

import java.lang.reflect.Type;
import java.util.Map;

/**
 * Type information for {@link SpanEnvelope}: a single opaque type with the hand-written
 * {@link SpanEnvelopeSerializer}. {@link SpanEnvelope} names {@link Factory} in its {@code @TypeInfo},
 * so {@code TypeInformation.of(SpanEnvelope.class)} and the type extractor both return this.
 */
public final class SpanEnvelopeTypeInfo extends TypeInformation<SpanEnvelope> {
    private static final long serialVersionUID = 1L;

    public static final SpanEnvelopeTypeInfo INSTANCE = new SpanEnvelopeTypeInfo();

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<SpanEnvelope> getTypeClass() {
        return SpanEnvelope.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<SpanEnvelope> createSerializer(SerializerConfig config) {
        return SpanEnvelopeSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "SpanEnvelope";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof SpanEnvelopeTypeInfo;
    }

    @Override
    public int hashCode() {
        return SpanEnvelopeTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof SpanEnvelopeTypeInfo;
    }

    /** Named by {@link SpanEnvelope}'s {@code @TypeInfo}. */
    public static final class Factory extends TypeInfoFactory<SpanEnvelope> {
        @Override
        public TypeInformation<SpanEnvelope> createTypeInfo(Type type, Map<String, TypeInformation<?>> genericParameters) {
            return INSTANCE;
        }
    }
}
