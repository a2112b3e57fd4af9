package io.telemetrysuite.cep;

import io.telemetrysuite.aggregate.AggregateKafka;
import io.telemetrysuite.aggregate.SourceWatermarks;
import io.telemetrysuite.alertmanager.AlertmanagerSink;
import io.telemetrysuite.cep.compile.RuleCompiler;
import io.telemetrysuite.cep.rule.EventFields;
import io.telemetrysuite.cep.rule.Rule;
import io.telemetrysuite.cep.rule.RuleLoader;
import io.telemetrysuite.cep.rule.Signal;
import io.telemetrysuite.ingest.IngestJob;
import io.telemetrysuite.ingest.IngestStreams;
import io.telemetrysuite.ingest.IngestTopics;
import io.telemetrysuite.ingest.KafkaJobOptions;
import io.telemetrysuite.ingest.sink.ExactlyOnceKafka;
import io.telemetrysuite.ingest.source.EventJsonDeserializer;
import io.telemetrysuite.model.Aggregate;
import io.telemetrysuite.model.Alert;
import io.telemetrysuite.model.DeadLetter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The CEP job: the rules of a rule folder, each compiled into its own keyed operator
 * ({@link RuleCompiler}), over ingest's events and the aggregate job's windows; alerts out.
 *
 * <pre>
 *   spans, metrics, logs, workload, system, inference, aggregates ─▶ event time ─▶ rules ─▶ alerts
 * </pre>
 *
 * <p>{@link #buildTopology} is the one code path: {@link #main} and {@link #kafkaTopology} wire it to
 * Kafka (and Alertmanager), {@code run cep} to files, the tests and the benchmark to their own inputs.
 */
public final class CepJob {
    public static final String NAME = "telemetry-cep";

    private CepJob() {}

    /**
     * The event-time policy, declared once for every signal: timestamps from the event model
     * ({@link EventFields#timestampMillis}), watermarks trailing the largest by the configured
     * out-of-orderness, and a signal that goes quiet stops holding the others back after the idleness.
     */
    public static <T> WatermarkStrategy<T> watermarkStrategy(CepConfig config, Signal signal) {
        return watermarkStrategy(config, signal, false);
    }

    /** As above; a bounded input gets no idleness (its end releases the watermark). */
    public static <T> WatermarkStrategy<T> watermarkStrategy(CepConfig config, Signal signal, boolean bounded) {
        Duration bound = config.maxOutOfOrderness;
        WatermarkStrategy<T> strategy = switch (config.watermarks) {
            case PERIODIC -> WatermarkStrategy.<T>forBoundedOutOfOrderness(bound);
            case EVERY_EVENT -> WatermarkStrategy.<T>forGenerator(ctx -> new EveryEventWatermarks<>(bound));
            // The sources' final watermark still passes through the assigner at the end of the input.
            case END_OF_INPUT -> WatermarkStrategy.<T>noWatermarks();
        };
        strategy = strategy.withTimestampAssigner((event, previous) -> EventFields.timestampMillis(signal, event));
        // Not on bounded inputs, nor at END_OF_INPUT: a signal stalled by back-pressure (or a consumer slow to
        // start) for the idleness timeout would be declared idle, the finished inputs' final watermark would
        // then pass, and every later event would be late.
        return bounded || config.watermarks == CepConfig.Watermarks.END_OF_INPUT ? strategy : strategy.withIdleness(config.idleness);
    }

    /** {@link #watermarkStrategy} for the Kafka sources, which apply it per partition. */
    static SourceWatermarks sourceWatermarks(CepConfig config, boolean bounded) {
        return new SourceWatermarks() {
            @Override
            public <T> WatermarkStrategy<T> of(Class<T> type) {
                // Ingest's dead letters have a topic but no signal: no rule reads them.
                if (type == DeadLetter.class) return WatermarkStrategy.noWatermarks();
                return watermarkStrategy(config, Signal.of(type), bounded);
            }
        };
    }

    /** Bounded out-of-orderness, emitted after every event rather than periodically. */
    private static final class EveryEventWatermarks<T> extends BoundedOutOfOrdernessWatermarks<T> {
        EveryEventWatermarks(Duration bound) {
            super(bound);
        }

        @Override
        public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
            super.onEvent(event, eventTimestamp, output);
            onPeriodicEmit(output);
        }
    }

    /**
     * The alerts of {@code rules} over ingest's streams and, when given, the aggregate windows. Only the
     * signals some rule reads are used, so a signal without rules (or without events) holds nothing back.
     */
    public static DataStream<Alert> buildTopology(IngestStreams in, @Nullable DataStream<Aggregate> aggregates, List<Rule> rules,
                                                  CepConfig config) {
        return buildTopology(signals(in, aggregates), rules, config);
    }

    private static Map<Signal, DataStream<?>> signals(IngestStreams in, @Nullable DataStream<Aggregate> aggregates) {
        Map<Signal, DataStream<?>> signals = new EnumMap<>(Signal.class);
        signals.put(Signal.SPAN, in.spans());
        signals.put(Signal.METRIC, in.metrics());
        signals.put(Signal.LOG, in.logs());
        signals.put(Signal.WORKLOAD, in.workload());
        signals.put(Signal.SYSTEM, in.system());
        signals.put(Signal.INFERENCE, in.inference());
        if (aggregates != null) signals.put(Signal.AGGREGATE, aggregates);
        return signals;
    }

    /** As above, over any set of signal streams (the benchmark feeds one signal only). */
    public static DataStream<Alert> buildTopology(Map<Signal, DataStream<?>> raw, List<Rule> rules, CepConfig config) {
        Map<Signal, DataStream<?>> timed = new EnumMap<>(Signal.class);
        readBy(rules, raw).forEach((signal, stream) -> timed.put(signal, withEventTime(stream, signal, config)));
        return RuleCompiler.compile(timed, rules);
    }

    /** The streams of the signals some rule reads. */
    private static Map<Signal, DataStream<?>> readBy(List<Rule> rules, Map<Signal, DataStream<?>> streams) {
        Map<Signal, DataStream<?>> read = new EnumMap<>(Signal.class);
        for (Rule rule : rules) {
            for (Signal signal : rule.signals()) {
                if (streams.containsKey(signal)) read.put(signal, streams.get(signal));
            }
        }
        return read;
    }

    // Watermarks per signal, chained to its source: each signal's own out-of-orderness decides, and one
    // signal's lag (aggregates trail raw events by a window) holds back the rules of the others only
    // through the union a rule reads from, never the whole job.
    private static <T> DataStream<T> withEventTime(DataStream<T> stream, Signal signal, CepConfig config) {
        return stream.assignTimestampsAndWatermarks(CepJob.<T>watermarkStrategy(config, signal))
                .setParallelism(stream.getParallelism())
                .uid("cep-event-time-" + signal.yamlName())
                .name("Event time " + signal.yamlName());
    }

    /**
     * The job between Kafka topics: ingest's output topics and the {@code aggregates} topic in, committed
     * data only; alerts to the alerts topic exactly once and, when {@code alertmanager} is given, to it.
     */
    public static DataStream<Alert> kafkaTopology(StreamExecutionEnvironment env, String bootstrapServers, IngestTopics topics,
                                                  String aggregatesTopic, List<Rule> rules, CepConfig config,
                                                  @Nullable Sink<Alert> alertmanager, boolean bounded) {
        // Event time comes from the sources, per partition, so the rules read the streams as they are.
        SourceWatermarks watermarks = sourceWatermarks(config, bounded);
        IngestStreams in = AggregateKafka.ingestTopics(env, bootstrapServers, topics, config.consumerGroup, bounded, watermarks);
        DataStream<Aggregate> aggregates = aggregatesSource(env, bootstrapServers, aggregatesTopic, config.consumerGroup, bounded, watermarks);
        DataStream<Alert> alerts = RuleCompiler.compile(readBy(rules, signals(in, aggregates)), rules);
        alerts.sinkTo(alertsSink(bootstrapServers, config)).uid("cep-sink-alerts-kafka").name("Alerts to Kafka");
        if (alertmanager != null) alerts.sinkTo(alertmanager).uid("cep-sink-alertmanager").name("Alerts to Alertmanager");
        return alerts;
    }

    static DataStream<Aggregate> aggregatesSource(StreamExecutionEnvironment env, String bootstrapServers, String topic, String group,
                                                  boolean bounded, SourceWatermarks watermarks) {
        KafkaSourceBuilder<Aggregate> builder = KafkaSource.<Aggregate>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(topic)
                .setGroupId(group)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new EventJsonDeserializer<>(Aggregate.class))
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        if (bounded) builder.setBounded(OffsetsInitializer.latest());
        return env.fromSource(builder.build(), watermarks.of(Aggregate.class), "Kafka: " + topic).uid("cep-source-" + topic);
    }

    /** The alerts topic, keyed by fingerprint so one alert's firing and resolved stay in order in one partition. */
    public static KafkaSink<Alert> alertsSink(String bootstrapServers, CepConfig config) {
        return ExactlyOnceKafka.sink(bootstrapServers, config.alertsTopic, config.transactionalIdPrefix + "-alerts", config.transactionTimeout,
                Alert::fingerprint);
    }

    /**
     * Cluster entry point: the Kafka options of {@link KafkaJobOptions} (group default {@code telemetry-cep}),
     * {@code --rules DIR} (default {@code cep-rules}), {@code --alertmanager URL} (optional, e.g.
     * http://127.0.0.1:9093); refuses to start on an invalid rule set.
     */
    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        List<Rule> rules = RuleLoader.load(Path.of(params.get("rules", "cep-rules")));
        CepConfig config = new CepConfig();
        KafkaJobOptions kafka = KafkaJobOptions.from(params, config.consumerGroup);
        config.alertsTopic = kafka.topic(config.alertsTopic);
        config.consumerGroup = kafka.group();
        config.transactionalIdPrefix = kafka.transactionalIdPrefix();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(IngestJob.baseConfiguration());
        env.enableCheckpointing(config.checkpointInterval.toMillis());
        env.getConfig().setGlobalJobParameters(params);
        kafkaTopology(env, kafka.bootstrapServers(), kafka.ingestTopics(), kafka.topic(AggregateKafka.AGGREGATES_TOPIC), rules, config,
                params.has("alertmanager") ? new AlertmanagerSink(params.get("alertmanager")) : null, false);
        env.execute(NAME);
    }
}
