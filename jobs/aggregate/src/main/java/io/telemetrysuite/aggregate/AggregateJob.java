package io.telemetrysuite.aggregate;

import io.telemetrysuite.aggregate.archive.ParquetArchive;
import io.telemetrysuite.aggregate.forecast.ForecastConfig;
import io.telemetrysuite.aggregate.forecast.LoadForecaster;
import io.telemetrysuite.aggregate.metrics.MetricAggregation;
import io.telemetrysuite.aggregate.prometheus.AggregateSeries;
import io.telemetrysuite.ingest.IngestJob;
import io.telemetrysuite.ingest.IngestStreams;
import io.telemetrysuite.ingest.IngestTopics;
import io.telemetrysuite.ingest.KafkaJobOptions;
import io.telemetrysuite.model.Aggregate;
import io.telemetrysuite.model.DeadLetter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.OutputTag;
import org.apache.flink.util.ParameterTool;

/**
 * The aggregate job: RED metrics from spans, per-tenant workload figures, per-host resources and
 * per-model inference figures, in tumbling event-time windows at several resolutions at once.
 *
 * <pre>
 *   spans     ─▶ observe ─▶ pre-aggregate ─┐
 *   workload  ─▶ observe ─▶ pre-aggregate ─┤
 *   system    ─▶ observe ─▶ pre-aggregate ─┼─▶ keyBy(key) ─▶ window 10s ─┬─▶ aggregates
 *   inference ─▶ observe ─▶ pre-aggregate ─┘               │ late       └─▶ roll up 1m ─▶ 5m ─▶ 1h
 *                                                            └─▶ dead letters (late_event)
 * </pre>
 *
 * <p>Event time comes from the Kafka sources, per partition; streams without it (files, tests, the
 * benchmark) get one watermark clock after the union of the signals, then one pre-aggregation.
 *
 * <p>Only the finest resolution reads events, as per-subtask partials ({@link WindowPreAggregator},
 * chained to each signal's source) so that a window's events cross the shuffle once per subtask, not
 * once each; each coarser one re-keys the finer results and merges
 * their sums and KLL sketches. Late events within the allowed lateness re-emit their window (and, in
 * turn, the coarser windows containing it) with {@code update = true}; later ones become dead letters.
 *
 * <p>OTLP metric points take their own path ({@link MetricAggregation}): cumulative points need
 * per-source-series state before they can merge, and their aggregates join the others' output.
 *
 * <p>{@link #buildTopology} is the one code path: {@code run aggregate}, the tests, the demo and the
 * Kafka job ({@link #kafkaTopology}, {@link #main}) call it.
 */
public final class AggregateJob {
    public static final String NAME = "telemetry-aggregate";
    /** Dead-letter reason of events later than the allowed lateness. */
    public static final String LATE_EVENT = "late_event";

    private static final OutputTag<WindowPartial> LATE = new OutputTag<>("late-partials", TypeInformation.of(WindowPartial.class));
    /** Windows a pre-aggregator holds at most before it flushes them all (bounds its heap with many keys). */
    private static final int PRE_AGGREGATION_BUNDLE_SIZE = 10_000;

    private AggregateJob() {}

    /**
     * The event-time policy of {@link #buildTopology(IngestStreams, AggregateConfig)}, whose inputs are
     * bounded (files, tests, the benchmark): watermarks trail the largest timestamp by the configured
     * out-of-orderness, and no idleness, since each input's end releases the watermark anyway. The Kafka
     * job declares its own, per partition ({@link #sourceWatermarks}).
     */
    public static WatermarkStrategy<Observation> watermarkStrategy(AggregateConfig config) {
        return WatermarkStrategy.<Observation>forBoundedOutOfOrderness(config.maxOutOfOrderness)
                .withTimestampAssigner((observation, previous) -> observation.timestampMillis);
    }

    /**
     * The Kafka sources' event-time policy: the same out-of-orderness, per partition, and, unless the
     * input is bounded, the idleness after which a silent partition (or a signal nobody sends) stops
     * holding the windows back.
     */
    public static SourceWatermarks sourceWatermarks(AggregateConfig config, boolean bounded) {
        return SourceWatermarks.boundedOutOfOrderness(config.maxOutOfOrderness, bounded ? null : config.idleness);
    }

    /** Aggregates ingest's spans, workload, system and inference streams at every configured resolution. */
    public static AggregateStreams buildTopology(IngestStreams in, AggregateConfig config) {
        return buildTopology(in, config, watermarkStrategy(config));
    }

    /**
     * As {@link #buildTopology(IngestStreams, AggregateConfig)}, with the watermark generation given (tests
     * pass one that emits a watermark after every event, so they decide exactly when windows fire), or
     * null when the inputs already carry event time and watermarks (the Kafka sources assign them).
     */
    public static AggregateStreams buildTopology(IngestStreams in, AggregateConfig config, @Nullable WatermarkStrategy<Observation> watermarks) {
        config.validate();
        List<Duration> resolutions = config.resolutions;
        String finest = AggregateConfig.label(resolutions.get(0));
        DataStream<WindowPartial> partials;
        if (watermarks == null) {
            // Event time from the sources (Kafka, per partition): each signal is pre-aggregated on its own,
            // chained to its source, so observations never cross a task boundary (serializing them was
            // most of the job's cost), only partials do. The window operator takes the signals' minimum
            // watermark; a signal nobody sends stops holding it back once its partitions go idle.
            partials = preAggregate(observe(in.spans(), Observation::of, "spans"), "spans", config)
                    .union(preAggregate(observe(in.workload(), Observation::of, "workload"), "workload", config),
                            preAggregate(observe(in.system(), Observation::of, "system"), "system", config),
                            preAggregate(observe(in.inference(), Observation::of, "inference"), "inference", config));
        } else {
            // One clock over all signals, assigned after their union: a signal without events (on a bounded
            // input, or in a test) cannot hold the others back, and a test's watermarks decide exactly when
            // windows fire. The price is one more serialization of every observation, on the way to the union.
            DataStream<Observation> spans = observe(in.spans(), Observation::of, "spans");
            DataStream<Observation> workload = observe(in.workload(), Observation::of, "workload");
            DataStream<Observation> system = observe(in.system(), Observation::of, "system");
            DataStream<Observation> inference = observe(in.inference(), Observation::of, "inference");
            int parallelism = Math.max(Math.max(spans.getParallelism(), workload.getParallelism()),
                    Math.max(system.getParallelism(), inference.getParallelism()));
            DataStream<Observation> timed = spans.union(workload, system, inference)
                    .assignTimestampsAndWatermarks(watermarks)
                    .setParallelism(parallelism)
                    .uid("aggregate-watermarks")
                    .name("Event time");
            partials = preAggregate(timed, "all", config);
        }
        SingleOutputStreamOperator<Aggregate> level = partials
                .keyBy(partial -> partial.key, Types.STRING)
                .window(TumblingEventTimeWindows.of(resolutions.get(0)))
                .allowedLateness(config.allowedLateness)
                .sideOutputLateData(LATE)
                .aggregate(new PartialAggregator(config.kllK), new EmitWindow(finest))
                .uid("aggregate-window-" + finest)
                .name("Window " + finest);
        DataStream<DeadLetter> late = level.getSideOutput(LATE)
                .process(new LateEventDeadLetters(config.allowedLateness.toMillis()))
                .uid("aggregate-late-events")
                .name("Late events to dead letters");

        DataStream<Aggregate> all = level;
        for (Duration resolution : resolutions.subList(1, resolutions.size())) {
            String label = AggregateConfig.label(resolution);
            // Finer results carry their window's max timestamp, so they fall into the coarser window
            // that contains them; the same lateness keeps it open for the finer windows' updates.
            level = level
                    .keyBy(AggregateKey::of, Types.STRING)
                    .window(TumblingEventTimeWindows.of(resolution))
                    .allowedLateness(config.allowedLateness)
                    .process(new RollUpWindow(label, config.kllK))
                    .uid("aggregate-rollup-" + label)
                    .name("Roll up to " + label);
            all = all.union(level);
        }
        AggregateStreams metrics = MetricAggregation.attach(in.metrics(), config,
                watermarks == null ? null : MetricAggregation.watermarkStrategy(config));
        return new AggregateStreams(all.union(metrics.aggregates()), late.union(metrics.lateDeadLetters()));
    }

    /**
     * The job between Kafka topics: ingest's topics in; the {@code aggregates} and {@code forecasts}
     * topics and late events' dead letters out, exactly once; and, when given, every final window to
     * Prometheus (remote write) and to the Parquet archive.
     */
    public static void kafkaTopology(StreamExecutionEnvironment env, AggregateConfig config, String bootstrapServers, IngestTopics topics,
                                     String aggregatesTopic, String forecastsTopic, String deadLetterTopic, String group, String transactionalIdPrefix,
                                     @Nullable String prometheusRemoteWriteUrl, @Nullable Path archiveDir, boolean bounded) {
        kafkaTopology(env, config, bootstrapServers, topics, aggregatesTopic, forecastsTopic, deadLetterTopic, group, transactionalIdPrefix,
                prometheusRemoteWriteUrl, archiveDir, bounded, sourceWatermarks(config, bounded));
    }

    /** As above, with the sources' watermark generation given (tests decide exactly which events are late). */
    public static void kafkaTopology(StreamExecutionEnvironment env, AggregateConfig config, String bootstrapServers, IngestTopics topics,
                                     String aggregatesTopic, String forecastsTopic, String deadLetterTopic, String group, String transactionalIdPrefix,
                                     @Nullable String prometheusRemoteWriteUrl, @Nullable Path archiveDir, boolean bounded,
                                     SourceWatermarks watermarks) {
        AggregateStreams out = buildTopology(AggregateKafka.ingestTopics(env, bootstrapServers, topics, group, bounded, watermarks), config, null);
        Duration transactionTimeout = Duration.ofMinutes(15);
        out.aggregates()
                .sinkTo(AggregateKafka.aggregatesSink(bootstrapServers, aggregatesTopic, transactionalIdPrefix, transactionTimeout))
                .uid("aggregate-sink-kafka").name("Aggregates to Kafka");
        out.lateDeadLetters()
                .sinkTo(AggregateKafka.deadLetterSink(bootstrapServers, deadLetterTopic, transactionalIdPrefix, transactionTimeout))
                .uid("aggregate-sink-dead-letters-kafka").name("Late events to Kafka");
        DataStream<Aggregate> finalWindows = FinalWindows.of(out.aggregates(), config);
        LoadForecaster.forecasts(finalWindows, new ForecastConfig().validate(config))
                .sinkTo(AggregateKafka.forecastsSink(bootstrapServers, forecastsTopic, transactionalIdPrefix, transactionTimeout))
                .uid("aggregate-sink-forecasts-kafka").name("Forecasts to Kafka");
        if (prometheusRemoteWriteUrl != null) {
            finalWindows.sinkTo(AggregateSeries.sink(prometheusRemoteWriteUrl)).uid("aggregate-sink-prometheus").name("Prometheus sink");
        }
        if (archiveDir != null) {
            // Final windows only: the archive holds each (resolution, window, key) once, committed on checkpoints.
            finalWindows.sinkTo(ParquetArchive.sink(archiveDir)).uid("aggregate-sink-archive").name("Parquet archive");
        }
    }

    /**
     * Cluster entry point: the Kafka options of {@link KafkaJobOptions} (group default {@code telemetry-aggregate}),
     * {@code --prometheus URL} (remote write; optional), {@code --archive DIR} (Parquet; optional, a path every
     * TaskManager can write, e.g. a shared file system), {@code --config FILE} (aggregate config YAML).
     */
    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        AggregateConfig config = AggregateConfigLoader.load(params.has("config") ? Path.of(params.get("config")) : null);
        KafkaJobOptions kafka = KafkaJobOptions.from(params, "telemetry-aggregate");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(IngestJob.baseConfiguration());
        env.enableCheckpointing(Duration.ofSeconds(10).toMillis());
        env.getConfig().setGlobalJobParameters(params);
        kafkaTopology(env, config, kafka.bootstrapServers(), kafka.ingestTopics(), kafka.topic(AggregateKafka.AGGREGATES_TOPIC),
                kafka.topic(AggregateKafka.FORECASTS_TOPIC), kafka.topic(AggregateKafka.DEAD_LETTER_TOPIC), kafka.group(),
                kafka.transactionalIdPrefix(), params.get("prometheus"), params.has("archive") ? Path.of(params.get("archive")) : null, false);
        env.execute(NAME);
    }

    /** One signal to observations, at the parallelism of its input so it chains to it. */
    private static <T> DataStream<Observation> observe(DataStream<T> events, MapFunction<T, Observation> toObservation, String signal) {
        return events
                .map(toObservation)
                .returns(Observation.class)
                .setParallelism(events.getParallelism())
                .uid("aggregate-observe-" + signal)
                .name("Observe " + signal);
    }

    /** Per-subtask window partials of the finest resolution, chained to {@code observations}. */
    private static DataStream<WindowPartial> preAggregate(DataStream<Observation> observations, String input, AggregateConfig config) {
        Duration finest = config.resolutions.get(0);
        String label = AggregateConfig.label(finest);
        return observations
                .transform("Pre-aggregate " + input + " " + label, TypeInformation.of(WindowPartial.class),
                        new WindowPreAggregator(finest.toMillis(), config.kllK, PRE_AGGREGATION_BUNDLE_SIZE))
                .setParallelism(observations.getParallelism())
                .uid("aggregate-pre-aggregate-" + input + "-" + label);
    }
}
