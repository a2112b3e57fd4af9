package io.telemetrysuite.ingest;

import io.telemetrysuite.model.DeadLetter;
import io.telemetrysuite.model.InferenceSample;
import io.telemetrysuite.model.LogRecord;
import io.telemetrysuite.model.MetricPoint;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.model.WorkloadRecord;
import org.apache.flink.api.connector.sink2.Sink;

/** Where each of the ingest job's outputs goes: Kafka topics in a streaming job, files in `run`, collectors in tests. */
public record IngestSinks(
        Sink<Span> spans,
        Sink<MetricPoint> metrics,
        Sink<LogRecord> logs,
        Sink<WorkloadRecord> workload,
        Sink<SystemSample> system,
        Sink<InferenceSample> inference,
        Sink<DeadLetter> deadLetters) {}
