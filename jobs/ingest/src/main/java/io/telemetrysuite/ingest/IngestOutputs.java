package io.telemetrysuite.ingest;

import io.telemetrysuite.ingest.sample.SpanEnvelope;
import io.telemetrysuite.model.DeadLetter;
import io.telemetrysuite.model.InferenceSample;
import io.telemetrysuite.model.LogRecord;
import io.telemetrysuite.model.MetricPoint;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.model.WorkloadRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/**
 * The parse operator's side outputs, declared once. Spans are its main output when sampling is off;
 * with sampling on they leave as {@link SpanEnvelope}s for the sampler.
 */
public final class IngestOutputs {
    public static final OutputTag<SpanEnvelope> SPAN_ENVELOPES = new OutputTag<>("span-envelopes", TypeInformation.of(SpanEnvelope.class));
    public static final OutputTag<MetricPoint> METRICS = new OutputTag<>("metrics", TypeInformation.of(MetricPoint.class));
    public static final OutputTag<LogRecord> LOGS = new OutputTag<>("logs", TypeInformation.of(LogRecord.class));
    public static final OutputTag<WorkloadRecord> WORKLOAD = new OutputTag<>("workload", TypeInformation.of(WorkloadRecord.class));
    public static final OutputTag<SystemSample> SYSTEM = new OutputTag<>("system", TypeInformation.of(SystemSample.class));
    public static final OutputTag<InferenceSample> INFERENCE = new OutputTag<>("inference", TypeInformation.of(InferenceSample.class));
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private IngestOutputs() {}
}
