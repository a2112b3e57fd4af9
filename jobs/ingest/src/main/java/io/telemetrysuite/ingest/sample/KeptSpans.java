package io.telemetrysuite.ingest.sample;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.telemetrysuite.ingest.privacy.Redactor;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.otlp.OtlpDecodeException;
import io.telemetrysuite.otlp.OtlpMapper;
import java.util.Arrays;

/**
 * Turns a kept {@link SpanEnvelope} into the event model's {@link Span}, redacted. Plain Java, one
 * instance per task: the Flink operator and the benchmark's baseline run the same code.
 */
public final class KeptSpans {
    private final Redactor redactor;
    // Spans of one export request share their resource and scope: render those once.
    private byte[] lastResource;
    private byte[] lastScope;
    private OtlpMapper.Context lastContext;

    public KeptSpans(Redactor redactor) {
        this.redactor = redactor;
    }

    public Span map(SpanEnvelope envelope) {
        try {
            if (lastContext == null || !Arrays.equals(lastResource, envelope.resource) || !Arrays.equals(lastScope, envelope.scope)) {
                lastContext = OtlpMapper.context(Resource.parseFrom(envelope.resource), InstrumentationScope.parseFrom(envelope.scope));
                lastResource = envelope.resource;
                lastScope = envelope.scope;
            }
            Span span = OtlpMapper.toSpan(lastContext, io.opentelemetry.proto.trace.v1.Span.parseFrom(envelope.span));
            span.violations = envelope.violations;
            span.adjustedCount = envelope.adjustedCount;
            span.sampledBy = envelope.sampledBy;
            redactor.redact(span);
            return span;
        } catch (InvalidProtocolBufferException | OtlpDecodeException e) {
            // The parse operator checked and re-encoded these very bytes: failing here is a bug, not bad input.
            throw new IllegalStateException("a span that passed ingest checks did not map: " + e.getMessage(), e);
        }
    }
}
