package io.telemetrysuite.cli.bench;

import io.telemetrysuite.generator.GenerationStats;
import io.telemetrysuite.generator.GeneratorConfig;
import io.telemetrysuite.generator.SyntheticFiles;
import io.telemetrysuite.ingest.IngestConfig;
import io.telemetrysuite.ingest.IngestJob;
import io.telemetrysuite.ingest.IngestPolicies;
import io.telemetrysuite.ingest.IngestSinks;
import io.telemetrysuite.ingest.IngestStreams;
import io.telemetrysuite.ingest.IngestTopics;
import io.telemetrysuite.ingest.parse.RecordProcessor;
import io.telemetrysuite.ingest.sample.KeptSpans;
import io.telemetrysuite.ingest.sample.SamplingPolicy;
import io.telemetrysuite.ingest.sample.SpanEnvelope;
import io.telemetrysuite.ingest.sample.TraceDecision;
import io.telemetrysuite.model.DeadLetter;
import io.telemetrysuite.model.InferenceSample;
import io.telemetrysuite.model.LogRecord;
import io.telemetrysuite.model.MetricPoint;
import io.telemetrysuite.model.RawRecord;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.model.WorkloadRecord;
import io.telemetrysuite.services.KafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code ./telemetry bench ingest}: the ingest topology in a MiniCluster against a plain-Java loop
 * doing the same work ({@link RecordProcessor} and {@link SamplingPolicy}, the very classes the
 * operators run) on the same pre-generated OTLP protobuf files, in the same process; then, as a
 * second figure, the topology between real Kafka topics, exactly once.
 */
public final class IngestBenchmark {
    private final long targetSpans;
    private final int parallelism;
    private final boolean withKafka;
    private final IngestConfig config = new IngestConfig();

    public IngestBenchmark(long targetSpans, int parallelism, boolean withKafka, boolean sampling) {
        this.targetSpans = targetSpans;
        this.parallelism = parallelism;
        this.withKafka = withKafka;
        // The production job samples; so does the benchmark by default, with a budget that keeps a few percent.
        config.sampling.enabled = sampling;
        config.sampling.spansPerSecondPerService = 1_000;
    }

    public String run() throws Exception {
        Path dir = Files.createTempDirectory("ingest-bench-");
        try {
            GenerationStats stats = generate(dir);
            List<Path> files;
            try (Stream<Path> list = Files.list(dir)) {
                files = list.filter(p -> p.toString().endsWith(".pb")).sorted().toList();
            }
            List<byte[]> requests = new ArrayList<>();
            for (Path file : files) requests.add(Files.readAllBytes(file));
            long spans = stats.spans;
            System.out.printf("ingest benchmark: %,d spans in %,d OTLP protobuf export requests (%,d MB), parallelism %d, sampling %s%n",
                    spans, files.size(), requests.stream().mapToLong(r -> r.length).sum() >> 20, parallelism,
                    config.sampling.enabled ? "on" : "off");

            IngestPolicies policies = IngestPolicies.load(config);
            // Warm both sides up (JIT, class loading, Flink's first job) before measuring.
            baseline(requests.subList(0, Math.max(1, requests.size() / 5)), policies);
            flinkFromFiles(files.subList(0, Math.max(1, files.size() / 5)), policies);

            double baselineRate = spans / seconds(baseline(requests, policies));
            JobExecutionResult result = flinkFromFiles(files, policies);
            double flinkRate = spans / (result.getNetRuntime() / 1000.0);
            System.out.printf("  flink, MiniCluster, from files:        %,12.0f spans/s  (net runtime %,d ms)%n", flinkRate, result.getNetRuntime());
            System.out.printf("  baseline, plain Java, %d threads:       %,12.0f spans/s%n", parallelism, baselineRate);
            if (withKafka) {
                double kafkaRate = flinkThroughKafka(requests, spans, policies, dir.resolve("checkpoints"));
                System.out.printf("  flink, MiniCluster, Kafka exactly once: %,12.0f spans/s%n", kafkaRate);
            }
            return String.format("ingest: %.0f spans/s, baseline %.0f spans/s, ratio %.2f", flinkRate, baselineRate, flinkRate / baselineRate);
        } finally {
            deleteRecursively(dir);
        }
    }

    private GenerationStats generate(Path dir) throws IOException {
        GeneratorConfig generator = new GeneratorConfig();
        generator.emitLogs = false;
        generator.emitMetrics = false;
        generator.emitRecords = false;
        generator.malformedRate = 0;
        generator.anomalies = List.of();
        // Large requests, as a Collector's batch processor sends them (its default batch is 8192 spans).
        generator.batchMin = 8_000;
        generator.batchMax = 8_000;
        generator.tracesPerSecond = 5_000;
        long spansPerSecond = 5_000 * 6; // about six spans per trace
        long durationMillis = Math.max(1_000, targetSpans * 1_000 / spansPerSecond);
        return SyntheticFiles.writeFiles(dir, generator, durationMillis, SyntheticFiles.OtlpFormat.PROTOBUF);
    }

    /** The ceiling: the same per-record work in {@code parallelism} plain threads, nothing else. */
    private long baseline(List<byte[]> requests, IngestPolicies policies) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        try {
            long start = System.nanoTime();
            List<Future<Long>> parts = new ArrayList<>();
            for (int t = 0; t < parallelism; t++) {
                int shard = t;
                parts.add(pool.submit(() -> {
                    BaselineOutput out = new BaselineOutput(new SamplingPolicy(config.sampling, parallelism), new KeptSpans(policies.newRedactor()));
                    RecordProcessor processor = new RecordProcessor(config, policies, System::currentTimeMillis);
                    for (int i = shard; i < requests.size(); i += parallelism) {
                        processor.process(new RawRecord(requests.get(i), "bench", -1, 0, RawRecord.Encoding.OTLP_PROTO_TRACES, 0), out);
                    }
                    return out.kept;
                }));
            }
            for (Future<Long> part : parts) part.get();
            return System.nanoTime() - start;
        } finally {
            pool.shutdown();
        }
    }

    private JobExecutionResult flinkFromFiles(List<Path> files, IngestPolicies policies) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, IngestJob.baseConfiguration());
        IngestStreams streams = IngestJob.buildTopology(IngestJob.fileSource(env, files), config, policies);
        IngestJob.attachSinks(streams, discarding(), null);
        return env.execute("ingest benchmark (files)");
    }

    private double flinkThroughKafka(List<byte[]> requests, long spans, IngestPolicies policies, Path checkpoints) throws Exception {
        try (KafkaBroker broker = KafkaBroker.builder().numPartitions(parallelism).start()) {
            IngestConfig kafka = copyWith(broker.bootstrapServers());
            Map<String, Integer> topics = new LinkedHashMap<>();
            kafka.topics.inputs().forEach(t -> topics.put(t, parallelism));
            kafka.topics.outputs().forEach(t -> topics.put(t, parallelism));
            broker.createTopics(topics);
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(16 << 20));
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
                for (byte[] request : requests) producer.send(new ProducerRecord<>(kafka.topics.otlpSpans, request));
            }
            Configuration conf = IngestJob.baseConfiguration();
            // The sampler's decisions outgrow the JobManager's 5 MB in-memory checkpoint limit: checkpoint to files, as a cluster does.
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
            env.enableCheckpointing(1_000);
            IngestJob.attachSinks(IngestJob.buildTopology(IngestJob.kafkaSource(env, kafka, true), kafka, policies),
                    IngestJob.kafkaSinks(kafka), null);
            JobExecutionResult result = env.execute("ingest benchmark (kafka)");
            return spans / (result.getNetRuntime() / 1000.0);
        }
    }

    private IngestConfig copyWith(String bootstrap) {
        IngestConfig kafka = new IngestConfig();
        kafka.bootstrapServers = bootstrap;
        kafka.sampling = config.sampling;
        kafka.topics = new IngestTopics();
        kafka.consumerGroup = "bench-" + System.nanoTime();
        kafka.transactionalIdPrefix = kafka.consumerGroup;
        return kafka;
    }

    private static IngestSinks discarding() {
        return new IngestSinks(new DiscardingSink<>(), new DiscardingSink<>(), new DiscardingSink<>(), new DiscardingSink<>(),
                new DiscardingSink<>(), new DiscardingSink<>(), new DiscardingSink<>());
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    /** Keeps what the sampler keeps, with decisions in a map instead of keyed state, and maps the kept spans. */
    private static final class BaselineOutput implements RecordProcessor.Output {
        private final SamplingPolicy sampling;
        private final KeptSpans keptSpans;
        private final Map<String, TraceDecision> decisions = new HashMap<>();
        long kept;

        BaselineOutput(SamplingPolicy sampling, KeptSpans keptSpans) {
            this.sampling = sampling;
            this.keptSpans = keptSpans;
        }

        @Override
        public void span(Span span) {
            kept++;
        }

        @Override
        public void spanEnvelope(SpanEnvelope span) {
            TraceDecision decision = decisions.computeIfAbsent(span.traceId, id -> sampling.decideNewTrace(span));
            if (sampling.apply(decision, span) && keptSpans.map(span) != null) kept++;
        }

        @Override public void metric(MetricPoint point) {}
        @Override public void log(LogRecord log) {}
        @Override public void workload(WorkloadRecord record) {}
        @Override public void system(SystemSample sample) {}
        @Override public void inference(InferenceSample sample) {}
        @Override public void deadLetter(DeadLetter deadLetter) {}
        @Override public void received(long count) {}
        @Override public void violation(String ruleId) {}
    }
}
