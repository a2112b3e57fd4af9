package io.telemetrysuite.generator;

import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource.NumberSequenceSplit;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;

/**
 * A Flink job that plays the {@link SyntheticWorkload} into Kafka, in real time or accelerated:
 * OTLP protobuf on {@code otlp_spans}, {@code otlp_metrics}, {@code otlp_logs} (as the Collector's
 * Kafka exporter writes them) and the suite's JSON records on {@code telemetry_records}.
 *
 * <pre>
 * flink run generator.jar --bootstrap-servers localhost:9092 [--traces-per-second 200] [--speedup 1]
 *     [--start now|now-PT1H|2026-01-01T00:00:00Z] [--rate 0] [--count N] [--seed 42] [--error-rate 0.01]
 *     [--slow-rate 0.02] [--malformed-rate 0.0005] [--anomaly-cycle-ms 1200000] [--anomalies true]
 * </pre>
 *
 * The load is set by {@code --traces-per-second} (per subtask) times {@code --speedup}; {@code --rate}
 * only caps Kafka messages per second. {@code --speedup 0} drops the pacing, so {@code --rate} alone
 * sets the pace. A start in the past with a speedup above 1 replays the backlog quickly, then runs
 * in real time: event time never runs ahead of the wall clock.
 */
public final class GeneratorJob {

    private GeneratorJob() {}

    /** Source (the workload, one shard per subtask) into the given sink. */
    public static DataStreamSink<GeneratedRecord> buildTopology(StreamExecutionEnvironment env, GeneratorConfig cfg,
            Sink<GeneratedRecord> sink) {
        cfg.validate();
        RateLimiterStrategy<NumberSequenceSplit> rate = cfg.maxRecordsPerSecond > 0
                ? RateLimiterStrategy.perSecond(cfg.maxRecordsPerSecond)
                : RateLimiterStrategy.noOp();
        DataGeneratorSource<GeneratedRecord> source = new DataGeneratorSource<>(
                new WorkloadGeneratorFunction(cfg), cfg.count, rate, TypeInformation.of(GeneratedRecord.class));
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "synthetic workload")
                .uid("generator-source")
                .sinkTo(sink)
                .name("kafka: OTLP and telemetry records")
                .uid("generator-kafka-sink");
    }

    /** At-least-once is enough: a duplicate synthetic record costs nothing, a transaction costs latency. */
    public static KafkaSink<GeneratedRecord> kafkaSink(String bootstrapServers) {
        return KafkaSink.<GeneratedRecord>builder()
                .setBootstrapServers(bootstrapServers)
                .setRecordSerializer(new GeneratedRecordSerializationSchema())
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    /** The config the command line asks for; wall-clock anchors are taken at {@code nowMillis}. */
    public static GeneratorConfig parseArgs(String[] args, long nowMillis) {
        ParameterTool p = ParameterTool.fromArgs(args);
        GeneratorConfig cfg = new GeneratorConfig();
        cfg.seed = p.getLong("seed", cfg.seed);
        cfg.tracesPerSecond = p.getDouble("traces-per-second", cfg.tracesPerSecond);
        cfg.speedup = p.getDouble("speedup", cfg.speedup);
        cfg.maxRecordsPerSecond = p.getDouble("rate", cfg.maxRecordsPerSecond);
        cfg.count = p.getLong("count", cfg.count);
        cfg.errorRate = p.getDouble("error-rate", cfg.errorRate);
        cfg.slowRate = p.getDouble("slow-rate", cfg.slowRate);
        cfg.malformedRate = p.getDouble("malformed-rate", cfg.malformedRate);
        cfg.anomalyCycleMillis = p.getLong("anomaly-cycle-ms", cfg.anomalyCycleMillis);
        if (!p.getBoolean("anomalies", true)) cfg.anomalies.clear();
        String start = p.get("start", "now");
        long startMillis;
        if (start.equals("now")) {
            startMillis = nowMillis;
        } else if (start.startsWith("now-")) {
            startMillis = nowMillis - Duration.parse(start.substring(4)).toMillis();
        } else {
            startMillis = Instant.parse(start).toEpochMilli();
        }
        // Whole windows from the start of a second keep timestamps readable.
        cfg.startMillis = startMillis - Math.floorMod(startMillis, 1000L);
        cfg.wallClockStartMillis = nowMillis;
        return cfg.validate();
    }

    public static void main(String[] args) throws Exception {
        ParameterTool p = ParameterTool.fromArgs(args);
        GeneratorConfig cfg = parseArgs(args, System.currentTimeMillis());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        if (p.has("parallelism")) env.setParallelism(p.getInt("parallelism"));
        buildTopology(env, cfg, kafkaSink(p.getRequired("bootstrap-servers")));
        env.execute("telemetry-suite generator");
    }
}
