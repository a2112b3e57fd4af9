package io.telemetrysuite.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.testing.ModelFixtures;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every model class is serialized by Flink without Kryo: as a Flink POJO with Flink's own serializers,
 * except {@link Span}, which has the hand-written {@link SpanSerializer} (also inside {@link Trace}'s
 * span list). With generic types disabled (what {@code pipeline.generic-types: false} does), creating
 * the serializer would throw if any field fell back to Kryo.
 */
class ModelPojoSerializationTest {
    static Stream<Object> fullyPopulated() {
        return ModelFixtures.allModelTypes().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fullyPopulated")
    void isAPojoSerializedWithoutKryo(Object instance) throws Exception {
        roundTrip(instance);
    }

    @SuppressWarnings("unchecked")
    private static <T> void roundTrip(T instance) throws Exception {
        Class<T> type = (Class<T>) instance.getClass();
        TypeInformation<T> info = TypeInformation.of(type);
        if (type == Span.class) assertThat(info).isSameAs(SpanTypeInfo.INSTANCE);
        else assertThat(info).isInstanceOf(PojoTypeInfo.class);
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);

        TypeSerializer<T> serializer = info.createSerializer(config);
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(instance, out);
        T copy = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(copy).usingRecursiveComparison().isEqualTo(instance);
        assertThat(serializer.copy(instance)).usingRecursiveComparison().isEqualTo(instance);
    }
}
