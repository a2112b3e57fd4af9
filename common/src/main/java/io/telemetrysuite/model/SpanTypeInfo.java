package io.telemetrysuite.model;

import io.telemetrysuite.flink.SerializerTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Type information for {@link Span}: a single opaque type with the hand-written {@link SpanSerializer}.
 * {@link Span} names {@link Factory} in its {@code @TypeInfo}, so {@code TypeInformation.of(Span.class)},
 * the type extractor and fields of type {@code List<Span>} (as in {@link Trace}) all use it.
 */
public final class SpanTypeInfo extends SerializerTypeInfo<Span> {
    private static final long serialVersionUID = 1L;

    public static final SpanTypeInfo INSTANCE = new SpanTypeInfo();

    private SpanTypeInfo() {
        super(Span.class, SpanSerializer.INSTANCE);
    }

    /** Named by {@link Span}'s {@code @TypeInfo}. */
    public static final class Factory extends TypeInfoFactory<Span> {
        @Override
        public TypeInformation<Span> createTypeInfo(Type type, Map<String, TypeInformation<?>> genericParameters) {
            return INSTANCE;
        }
    }
}
