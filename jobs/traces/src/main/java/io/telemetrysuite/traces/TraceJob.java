package io.telemetrysuite.traces;

import io.telemetrysuite.ingest.IngestJob;
import io.telemetrysuite.ingest.IngestTopics;
import io.telemetrysuite.ingest.KafkaJobOptions;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.Trace;
import io.telemetrysuite.traces.archive.TraceArchive;
import io.telemetrysuite.traces.assembly.TraceAssembler;
import io.telemetrysuite.traces.assembly.TraceSummary;
import io.telemetrysuite.traces.sampling.TailSamplingConfig;
import io.telemetrysuite.traces.graph.ServiceGraphConfig;
import io.telemetrysuite.traces.graph.ServiceGraphSinks;
import java.nio.file.Path;
import java.time.Duration;
import javax.annotation.Nullable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;

/**
 * The trace job: ingest's spans keyed by trace id, assembled into traces, decided by the
 * Collector-compatible tail-sampling policies, with each trace's figures and critical path.
 *
 * <pre>
 *   spans ─▶ event time ─▶ keyBy(traceId) ─▶ assemble + decide ─┬─▶ all traces (service graph)
 *                                                               ├─▶ kept traces ─▶ Kafka, Parquet archive
 *                                                               └─▶ summaries   ─▶ Kafka / traces.jsonl
 * </pre>
 *
 * <p>{@link #buildTopology} is the one code path: {@code run traces}, the tests, the demo and the
 * Kafka job ({@link #kafkaTopology}, {@link #main}) call it.
 */
public final class TraceJob {
    public static final String NAME = "telemetry-traces";

    private TraceJob() {}

    /**
     * Event time is the span's end: a trace's last span to finish is what decision_wait waits for.
     * Idleness (a silent partition stops holding the others back) only on unbounded inputs: on bounded
     * ones the end of the input releases the watermark, and idleness could only declare a merely slow
     * input idle and make its spans late.
     */
    public static WatermarkStrategy<Span> watermarkStrategy(TraceConfig config, boolean bounded) {
        WatermarkStrategy<Span> strategy = WatermarkStrategy.<Span>forBoundedOutOfOrderness(config.maxOutOfOrderness)
                .withTimestampAssigner((span, previous) -> span.endTimeUnixNano / 1_000_000L);
        return bounded ? strategy : strategy.withIdleness(config.idleness);
    }

    /** The traces of a bounded span stream (files, tests, the benchmark). */
    public static TraceStreams buildTopology(DataStream<Span> spans, TraceConfig config) {
        return buildTopology(spans, config, watermarkStrategy(config, true));
    }

    /**
     * As above, with the watermark generation given (tests pass one that emits after every span), or null
     * when the spans already carry event time and watermarks (the Kafka source assigns them per partition).
     */
    public static TraceStreams buildTopology(DataStream<Span> spans, TraceConfig config, @Nullable WatermarkStrategy<Span> watermarks) {
        config.validate();
        DataStream<Span> timed = watermarks == null ? spans : spans
                .assignTimestampsAndWatermarks(watermarks)
                .setParallelism(spans.getParallelism())
                .uid("traces-watermarks")
                .name("Event time");
        DataStream<Trace> all = timed
                .keyBy(span -> span.traceId, Types.STRING)
                .process(new TraceAssembler(config))
                .uid("traces-assemble")
                .name("Assemble and decide traces");
        DataStream<Trace> kept = all
                .filter(trace -> trace.sampled)
                .uid("traces-kept")
                .name("Kept traces");
        DataStream<Trace> summaries = all
                .map(TraceSummary::withoutSpans)
                .returns(Trace.class)
                .uid("traces-summaries")
                .name("Trace summaries");
        return new TraceStreams(all, kept, summaries);
    }

    /**
     * The job between Kafka topics: ingest's committed spans in; kept traces (with spans) and every
     * trace's summary out, exactly once; kept traces also to the Parquet archive when {@code archiveDir} is set.
     */
    public static TraceStreams kafkaTopology(StreamExecutionEnvironment env, TraceConfig config, String bootstrapServers, IngestTopics topics,
                                             String tracesTopic, String summariesTopic, String group, String transactionalIdPrefix,
                                             @Nullable Path archiveDir, @Nullable String prometheusRemoteWriteUrl, boolean bounded) {
        DataStream<Span> spans = TraceKafka.spans(env, bootstrapServers, topics.spans, group, bounded, watermarkStrategy(config, bounded));
        TraceStreams out = buildTopology(spans, config.withParallelism(env.getParallelism()), null);
        Duration transactionTimeout = Duration.ofMinutes(15);
        out.keptTraces()
                .sinkTo(TraceKafka.tracesSink(bootstrapServers, tracesTopic, transactionalIdPrefix + "-traces", transactionTimeout))
                .uid("traces-sink-kafka").name("Kept traces to Kafka");
        out.summaries()
                .sinkTo(TraceKafka.tracesSink(bootstrapServers, summariesTopic, transactionalIdPrefix + "-summaries", transactionTimeout))
                .uid("traces-sink-summaries-kafka").name("Trace summaries to Kafka");
        if (archiveDir != null) TraceArchive.attach(out.keptTraces(), archiveDir);
        // Every trace, before sampling drops any: the service graph counts requests, not kept traces.
        if (prometheusRemoteWriteUrl != null) {
            ServiceGraphSinks.attach(out.allTraces(), ServiceGraphConfig.defaults(), prometheusRemoteWriteUrl, null);
        }
        return out;
    }

    /**
     * Cluster entry point: the Kafka options of {@link KafkaJobOptions} (group default {@code telemetry-traces}),
     * {@code --tail-sampling FILE} (the Collector's tail_sampling YAML; default: keep every trace),
     * {@code --archive DIR} (Parquet; optional, a path every TaskManager can write), {@code --prometheus URL}
     * (remote write of the service-graph series; optional).
     */
    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        TraceConfig config = params.has("tail-sampling")
                ? TraceConfig.of(TailSamplingConfig.load(Path.of(params.get("tail-sampling"))))
                : TraceConfig.keepAll();
        KafkaJobOptions kafka = KafkaJobOptions.from(params, "telemetry-traces");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(IngestJob.baseConfiguration());
        env.enableCheckpointing(Duration.ofSeconds(10).toMillis());
        env.getConfig().setGlobalJobParameters(params);
        kafkaTopology(env, config, kafka.bootstrapServers(), kafka.ingestTopics(), kafka.topic(TraceKafka.TRACES_TOPIC),
                kafka.topic(TraceKafka.SUMMARIES_TOPIC), kafka.group(), kafka.transactionalIdPrefix(),
                params.has("archive") ? Path.of(params.get("archive")) : null, params.get("prometheus"), false);
        env.execute(NAME);
    }
}
