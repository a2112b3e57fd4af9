package io.telemetrysuite.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnyValuesTest {
    @Test
    void scalarsRenderTheWayTheModelDocuments() {
        assertThat(AnyValues.render(AnyValue.newBuilder().setStringValue("héllo").build())).isEqualTo("héllo");
        assertThat(AnyValues.render(AnyValue.newBuilder().setIntValue(-9_007_199_254_740_993L).build())).isEqualTo("-9007199254740993");
        assertThat(AnyValues.render(AnyValue.newBuilder().setDoubleValue(3.0).build())).isEqualTo("3.0");
        assertThat(AnyValues.render(AnyValue.newBuilder().setDoubleValue(0.1).build())).isEqualTo("0.1");
        assertThat(AnyValues.render(AnyValue.newBuilder().setBoolValue(false).build())).isEqualTo("false");
        assertThat(AnyValues.render(AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {(byte) 0xfb, (byte) 0xff})).build()))
                .isEqualTo("+/8=");
        assertThat(AnyValues.render(AnyValue.getDefaultInstance())).isEmpty();
    }

    @Test
    void arraysAndKvlistsRenderAsCompactJsonWithEscapes() {
        AnyValue nested = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                .addValues(kv("quote\"d", AnyValue.newBuilder().setStringValue("line\nbreak\u0001").build()))
                .addValues(kv("list", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                        .addValues(AnyValue.newBuilder().setDoubleValue(Double.NaN))
                        .addValues(AnyValue.newBuilder().setDoubleValue(2.0))
                        .addValues(AnyValue.newBuilder().setIntValue(5))
                        .addValues(AnyValue.newBuilder().setBoolValue(true))
                        .addValues(AnyValue.getDefaultInstance())
                        .addValues(AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("hi")))).build()))
                .build()).build();

        assertThat(AnyValues.render(nested))
                .isEqualTo("{\"quote\\\"d\":\"line\\nbreak\\u0001\",\"list\":[\"NaN\",2.0,5,true,null,\"aGk=\"]}");
    }

    @Test
    void aRepeatedKeyKeepsItsLastValue() {
        assertThat(AnyValues.render(List.of(
                kv("k", AnyValue.newBuilder().setStringValue("first").build()),
                kv("k", AnyValue.newBuilder().setStringValue("last").build()))))
                .containsExactly(java.util.Map.entry("k", "last"));
    }

    private static KeyValue kv(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }
}
