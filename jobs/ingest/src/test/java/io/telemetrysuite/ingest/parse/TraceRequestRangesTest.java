package io.telemetrysuite.ingest.parse;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.telemetrysuite.testing.OtlpFixtures.BASE_EPOCH_NANOS;
import static io.telemetrysuite.testing.OtlpFixtures.checkoutTrace;
import static io.telemetrysuite.testing.OtlpFixtures.richSpans;
import static io.telemetrysuite.testing.OtlpFixtures.traceRequestProto;
import static org.assertj.core.api.Assertions.assertThat;

class TraceRequestRangesTest {

    @Test
    void rangesOfSdkMadeRequestsAreTheSpansOwnEncodings() throws Exception {
        List<SpanData> spans = new ArrayList<>(richSpans());
        for (int t = 0; t < 5; t++) spans.addAll(checkoutTrace(t, BASE_EPOCH_NANOS + t * 1_000_000L, t % 2 == 0));
        byte[] bytes = traceRequestProto(spans);
        ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(bytes);
        assertThat(request.getResourceSpansCount()).isGreaterThan(1);

        TraceRequestRanges ranges = TraceRequestRanges.of(bytes, request);

        assertThat(ranges).isNotNull();
        int seen = 0;
        for (int r = 0; r < request.getResourceSpansCount(); r++) {
            ResourceSpans resourceSpans = request.getResourceSpans(r);
            assertThat(ranges.resource(r)).isEqualTo(resourceSpans.getResource().toByteArray());
            for (int s = 0; s < resourceSpans.getScopeSpansCount(); s++) {
                ScopeSpans scopeSpans = resourceSpans.getScopeSpans(s);
                assertThat(ranges.scope(r, s)).isEqualTo(scopeSpans.getScope().toByteArray());
                for (int i = 0; i < scopeSpans.getSpansCount(); i++) {
                    Span span = scopeSpans.getSpans(i);
                    byte[] range = ranges.span(r, s, i);
                    assertThat(range).isEqualTo(span.toByteArray());
                    assertThat(Span.parseFrom(range)).isEqualTo(span);
                    seen++;
                }
            }
        }
        assertThat(seen).isEqualTo(spans.size());
    }

    @Test
    void aResourceGivenTwiceIsMergedByProtobufSoThereAreNoRanges() throws Exception {
        Resource first = Resource.newBuilder().setDroppedAttributesCount(1).build();
        ResourceSpans resourceSpans = ResourceSpans.newBuilder()
                .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("s"))
                        .addSpans(Span.newBuilder().setName("a")))
                .build();
        // resource_spans { resource {..} scope_spans {..} } followed by a second resource field in the same message
        byte[] resourceField = ResourceSpans.newBuilder().setResource(first).build().toByteArray();
        byte[] body = concat(resourceField, resourceSpans.toByteArray(), resourceField);
        byte[] bytes = concat(new byte[] {0x0A, (byte) body.length}, body);
        ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(bytes);
        assertThat(request.getResourceSpans(0).getScopeSpans(0).getSpansCount()).isEqualTo(1);

        assertThat(TraceRequestRanges.of(bytes, request)).isNull();
    }

    @Test
    void absentResourceAndScopeAreEmptyLikeTheirDefaultInstances() throws Exception {
        byte[] bytes = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()
                        .addSpans(Span.newBuilder().setName("a")).addSpans(Span.getDefaultInstance())))
                .build().toByteArray();
        ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(bytes);

        TraceRequestRanges ranges = TraceRequestRanges.of(bytes, request);

        assertThat(ranges.resource(0)).isEmpty();
        assertThat(ranges.scope(0, 0)).isEmpty();
        assertThat(ranges.span(0, 0, 0)).isEqualTo(request.getResourceSpans(0).getScopeSpans(0).getSpans(0).toByteArray());
        assertThat(ranges.span(0, 0, 1)).isEmpty();
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) length += part.length;
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
