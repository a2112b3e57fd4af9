package io.telemetrysuite.ingest;

import io.telemetrysuite.ingest.parse.RecordParser;
import io.telemetrysuite.ingest.sample.KeptSpanMapper;
import io.telemetrysuite.ingest.sample.SamplingConfig;
import io.telemetrysuite.ingest.sample.SpanEnvelope;
import io.telemetrysuite.ingest.sample.TraceSampler;
import io.telemetrysuite.ingest.sink.ExactlyOnceKafka;
import io.telemetrysuite.ingest.source.KafkaRawRecordDeserializer;
import io.telemetrysuite.ingest.source.TelemetryFileFormat;
import io.telemetrysuite.model.DeadLetter;
import io.telemetrysuite.model.InferenceSample;
import io.telemetrysuite.model.LogRecord;
import io.telemetrysuite.model.MetricPoint;
import io.telemetrysuite.model.RawRecord;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.model.WorkloadRecord;
import java.nio.file.Path;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.ParameterTool;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The ingest job: raw OTLP and workload telemetry in, normalized events out, one stream per signal,
 * bad input to the dead-letter stream.
 *
 * <pre>
 *   source ─▶ parse, validate, redact ─┬─▶ keyBy(traceId) ─▶ sample ─▶ map, redact ─▶ spans
 *                                      ├─▶ metrics, logs, workload, system, inference
 *                                      └─▶ dead letters
 * </pre>
 *
 * <p>{@link #buildTopology} is the one code path: {@link #main} wires it to Kafka, {@code run} to
 * files, the demo to a MiniCluster, the tests to whatever they assert on.
 */
public final class IngestJob {
    public static final String NAME = "telemetry-ingest";

    private IngestJob() {}

    /** Parses, validates, redacts and (if configured) samples; the policies are loaded before the job is built. */
    public static IngestStreams buildTopology(DataStream<RawRecord> raw, IngestConfig config, IngestPolicies policies) {
        SingleOutputStreamOperator<Span> parsed = raw
                .process(new RecordParser(config, policies))
                .uid("ingest-parse")
                .name("Parse, validate, redact");

        DataStream<Span> spans = config.sampling.enabled
                ? sample(parsed.getSideOutput(IngestOutputs.SPAN_ENVELOPES), config.sampling, policies)
                : parsed;
        return new IngestStreams(
                spans,
                parsed.getSideOutput(IngestOutputs.METRICS),
                parsed.getSideOutput(IngestOutputs.LOGS),
                parsed.getSideOutput(IngestOutputs.WORKLOAD),
                parsed.getSideOutput(IngestOutputs.SYSTEM),
                parsed.getSideOutput(IngestOutputs.INFERENCE),
                parsed.getSideOutput(IngestOutputs.DEAD_LETTERS));
    }

    /**
     * Consistent per-trace sampling: spans keyed by trace id, decisions in keyed state; then only the
     * kept spans are mapped to the event model and redacted.
     */
    public static DataStream<Span> sample(DataStream<SpanEnvelope> spans, SamplingConfig config, IngestPolicies policies) {
        return spans
                .keyBy(span -> span.traceId, Types.STRING)
                .process(new TraceSampler(config))
                .uid("ingest-trace-sampler")
                .name("Sample per trace")
                .process(new KeptSpanMapper(policies))
                .uid("ingest-kept-span-mapper")
                .name("Map and redact kept spans");
    }

    /** Sends every output to its sink; each sink has a stable uid because exactly-once sinks keep state. */
    public static void attachSinks(IngestStreams streams, IngestSinks sinks, @Nullable Integer sinkParallelism) {
        configureSink(streams.spans().sinkTo(sinks.spans()).uid("ingest-sink-spans").name("Spans sink"), sinkParallelism);
        configureSink(streams.metrics().sinkTo(sinks.metrics()).uid("ingest-sink-metrics").name("Metrics sink"), sinkParallelism);
        configureSink(streams.logs().sinkTo(sinks.logs()).uid("ingest-sink-logs").name("Logs sink"), sinkParallelism);
        configureSink(streams.workload().sinkTo(sinks.workload()).uid("ingest-sink-workload").name("Workload sink"), sinkParallelism);
        configureSink(streams.system().sinkTo(sinks.system()).uid("ingest-sink-system").name("System sink"), sinkParallelism);
        configureSink(streams.inference().sinkTo(sinks.inference()).uid("ingest-sink-inference").name("Inference sink"), sinkParallelism);
        configureSink(streams.deadLetters().sinkTo(sinks.deadLetters()).uid("ingest-sink-dead-letters").name("Dead-letter sink"), sinkParallelism);
    }

    private static void configureSink(org.apache.flink.streaming.api.datastream.DataStreamSink<?> sink, @Nullable Integer parallelism) {
        if (parallelism != null) sink.setParallelism(parallelism);
    }

    /** Reads the Collector's OTLP topics and the suite's record topic, committed data only. */
    public static DataStream<RawRecord> kafkaSource(StreamExecutionEnvironment env, IngestConfig config, boolean bounded) {
        KafkaSourceBuilder<RawRecord> builder = KafkaSource.<RawRecord>builder()
                .setBootstrapServers(config.bootstrapServers)
                .setTopics(config.topics.inputs())
                .setGroupId(config.consumerGroup)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new KafkaRawRecordDeserializer(config.topics.encodingByTopic()))
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .setProperty("partition.discovery.interval.ms", "10000");
        if (bounded) builder.setBounded(OffsetsInitializer.latest());
        return env.fromSource(builder.build(), WatermarkStrategy.noWatermarks(), "Kafka: OTLP and records")
                .uid("ingest-kafka-source");
    }

    /** Reads files or folders of files: {@code *.pb} one export request per file, anything else JSON lines. */
    public static DataStream<RawRecord> fileSource(StreamExecutionEnvironment env, List<Path> inputs) {
        org.apache.flink.core.fs.Path[] paths = inputs.stream()
                .map(p -> new org.apache.flink.core.fs.Path(p.toAbsolutePath().toUri()))
                .toArray(org.apache.flink.core.fs.Path[]::new);
        FileSource<RawRecord> source = FileSource.forBulkFileFormat(new TelemetryFileFormat(), paths).build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "Files: OTLP and records")
                .uid("ingest-file-source");
    }

    /** One exactly-once Kafka sink per output topic. */
    public static IngestSinks kafkaSinks(IngestConfig config) {
        return new IngestSinks(
                kafkaSink(config, config.topics.spans, "spans", (SerializableFunction<Span, String>) s -> s.traceId),
                kafkaSink(config, config.topics.metrics, "metrics", (SerializableFunction<MetricPoint, String>) m -> m.serviceName),
                kafkaSink(config, config.topics.logs, "logs", (SerializableFunction<LogRecord, String>) l -> l.traceId.isEmpty() ? null : l.traceId),
                kafkaSink(config, config.topics.workload, "workload", (SerializableFunction<WorkloadRecord, String>) w -> w.tenant),
                kafkaSink(config, config.topics.system, "system", (SerializableFunction<SystemSample, String>) s -> s.host),
                kafkaSink(config, config.topics.inference, "inference", (SerializableFunction<InferenceSample, String>) i -> i.model),
                kafkaSink(config, config.topics.deadLetter, "dead-letters", (SerializableFunction<DeadLetter, String>) d -> null));
    }

    private static <T> KafkaSink<T> kafkaSink(IngestConfig config, String topic, String name, SerializableFunction<T, String> key) {
        return ExactlyOnceKafka.sink(config.bootstrapServers, topic, config.transactionalIdPrefix + "-" + name, config.transactionTimeout, key);
    }

    /** Settings every ingest environment gets, whatever runs it. */
    public static Configuration baseConfiguration() {
        Configuration conf = new Configuration();
        // Every type is a Flink POJO; a Kryo fallback would be a bug, so make it fail loudly.
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // Operators are written not to keep references to records they emitted; saves a copy per chained hop.
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        return conf;
    }

    /**
     * Cluster entry point: Kafka in, Kafka out, exactly once. {@code --config FILE} overrides the defaults;
     * {@link KafkaJobOptions}' options, when given, override the file.
     */
    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        IngestConfig config = IngestConfigLoader.load(params.get("config"));
        KafkaJobOptions kafka = KafkaJobOptions.from(params, config.consumerGroup);
        if (params.has("bootstrap-servers")) config.bootstrapServers = kafka.bootstrapServers();
        if (params.has("topic-prefix")) config.topics = config.topics.withPrefix(kafka.topicPrefix());
        if (params.has("group")) {
            config.consumerGroup = kafka.group();
            config.transactionalIdPrefix = kafka.transactionalIdPrefix();
        }
        IngestPolicies policies = IngestPolicies.load(config);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(baseConfiguration());
        env.enableCheckpointing(config.checkpointInterval.toMillis());
        env.getConfig().setGlobalJobParameters(params);

        attachSinks(buildTopology(kafkaSource(env, config, false), config, policies), kafkaSinks(config), null);
        env.execute(NAME);
    }
}
