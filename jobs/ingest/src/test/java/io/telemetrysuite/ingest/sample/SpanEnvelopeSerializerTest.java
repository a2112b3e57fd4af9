package io.telemetrysuite.ingest.sample;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.TypeExtractor;
import org.apache.flink.testutils.DeeplyEqualsChecker;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/** Flink's own serializer test base (copy, serialize, snapshot and restore, duplicate) on {@link SpanEnvelopeSerializer}. */
class SpanEnvelopeSerializerTest extends SerializerTestBase<SpanEnvelope> {

    SpanEnvelopeSerializerTest() {
        // SpanEnvelope has no equals: compare field by field (arrays and lists by content).
        super(new DeeplyEqualsChecker().withCustomCheck(
                (a, b) -> a instanceof SpanEnvelope && b instanceof SpanEnvelope,
                (a, b, checker) -> Objects.deepEquals(fields((SpanEnvelope) a), fields((SpanEnvelope) b))));
    }

    private static Object[] fields(SpanEnvelope e) {
        return new Object[] {e.traceId, e.spanId, e.serviceName, e.startTimeUnixNano, e.endTimeUnixNano, e.error, e.route,
                e.violations, e.resource, e.scope, e.span, e.adjustedCount, e.sampledBy};
    }

    @Override
    protected TypeSerializer<SpanEnvelope> createSerializer() {
        return SpanEnvelopeSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<SpanEnvelope> getTypeClass() {
        return SpanEnvelope.class;
    }

    @Override
    protected SpanEnvelope[] getTestData() {
        SpanEnvelope full = envelope("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", "checkout", "/cart/{id}");
        full.error = true;
        full.violations = new ArrayList<>(List.of("span.http.method", "span.ürl"));
        full.resource = new byte[] {10, 3, 1, 2, 3};
        full.scope = new byte[0];
        full.span = new byte[300];
        for (int i = 0; i < full.span.length; i++) full.span[i] = (byte) i;
        full.adjustedCount = 12.5;
        full.sampledBy = "probability";

        SpanEnvelope nulls = new SpanEnvelope();
        nulls.violations = null;

        SpanEnvelope unicode = envelope("", "00f067aa0ba902b7", "zahlungsdienst-ß-東京-😀", "GET /päth");
        unicode.startTimeUnixNano = Long.MIN_VALUE;
        unicode.endTimeUnixNano = Long.MAX_VALUE;
        unicode.adjustedCount = Double.MIN_VALUE;
        return new SpanEnvelope[] {full, nulls, unicode, envelope("a", "b", "c", "d")};
    }

    private static SpanEnvelope envelope(String traceId, String spanId, String service, String route) {
        SpanEnvelope envelope = new SpanEnvelope();
        envelope.traceId = traceId;
        envelope.spanId = spanId;
        envelope.serviceName = service;
        envelope.route = route;
        envelope.startTimeUnixNano = 1_767_225_600_000_000_000L;
        envelope.endTimeUnixNano = 1_767_225_600_250_000_000L;
        envelope.span = new byte[] {1, 2};
        return envelope;
    }

    @Override
    protected void deepEquals(String message, SpanEnvelope should, SpanEnvelope is) {
        assertThat(is).as(message).usingRecursiveComparison().isEqualTo(should);
    }

    @Test
    void typeExtractionUsesTheHandWrittenSerializerNotPojoOrKryo() {
        TypeInformation<SpanEnvelope> info = TypeInformation.of(SpanEnvelope.class);
        assertThat(info).isEqualTo(SpanEnvelopeTypeInfo.INSTANCE);
        assertThat(TypeExtractor.createTypeInfo(SpanEnvelope.class)).isEqualTo(SpanEnvelopeTypeInfo.INSTANCE);
        assertThat(info.createSerializer(new ExecutionConfig().getSerializerConfig())).isSameAs(SpanEnvelopeSerializer.INSTANCE);
    }
}
