package io.telemetrysuite.ingest;

import io.telemetrysuite.model.DeadLetter;
import io.telemetrysuite.model.InferenceSample;
import io.telemetrysuite.model.LogRecord;
import io.telemetrysuite.model.MetricPoint;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.model.WorkloadRecord;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The ingest topology's outputs, one stream per signal plus the dead letters. Later jobs that run in
 * the same process (`run aggregate`, `run cep`, `run traces`) start from these instead of Kafka.
 */
public record IngestStreams(
        DataStream<Span> spans,
        DataStream<MetricPoint> metrics,
        DataStream<LogRecord> logs,
        DataStream<WorkloadRecord> workload,
        DataStream<SystemSample> system,
        DataStream<InferenceSample> inference,
        DataStream<DeadLetter> deadLetters) {}
