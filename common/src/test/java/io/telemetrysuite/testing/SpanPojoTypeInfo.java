package io.telemetrysuite.testing;

import io.telemetrysuite.model.Span;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.java.typeutils.PojoField;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.java.typeutils.TypeExtractor;

/**
 * The type information the type extractor built for {@link Span} before {@code Span} named its own
 * serializer: a POJO of its public fields. State written by savepoints older than {@code SpanSerializer}
 * was serialized with it; tests use it to write state in that old format.
 */
public final class SpanPojoTypeInfo {
    private SpanPojoTypeInfo() {}

    public static PojoTypeInfo<Span> asBefore() {
        List<PojoField> fields = new ArrayList<>();
        for (Field field : Span.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers())) continue;
            fields.add(new PojoField(field, TypeExtractor.createTypeInfo(field.getGenericType())));
        }
        return new PojoTypeInfo<>(Span.class, fields);
    }
}
