package io.telemetrysuite.ingest.sample;

import io.telemetrysuite.flink.SerializerTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

import java.lang.reflect.Type;
import java.util.Map;

/**
 * Type information for {@link SpanEnvelope}: a single opaque type with the hand-written
 * {@link SpanEnvelopeSerializer}. {@link SpanEnvelope} names {@link Factory} in its {@code @TypeInfo},
 * so {@code TypeInformation.of(SpanEnvelope.class)} and the type extractor both return this.
 */
public final class SpanEnvelopeTypeInfo extends SerializerTypeInfo<SpanEnvelope> {
    private static final long serialVersionUID = 1L;

    public static final SpanEnvelopeTypeInfo INSTANCE = new SpanEnvelopeTypeInfo();

    private SpanEnvelopeTypeInfo() {
        super(SpanEnvelope.class, SpanEnvelopeSerializer.INSTANCE);
    }

    /** Named by {@link SpanEnvelope}'s {@code @TypeInfo}. */
    public static final class Factory extends TypeInfoFactory<SpanEnvelope> {
        @Override
        public TypeInformation<SpanEnvelope> createTypeInfo(Type type, Map<String, TypeInformation<?>> genericParameters) {
            return INSTANCE;
        }
    }
}
