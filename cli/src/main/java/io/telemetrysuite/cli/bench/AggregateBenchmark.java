package io.telemetrysuite.cli.bench;

import io.telemetrysuite.aggregate.AggregateConfig;
import io.telemetrysuite.aggregate.AggregateJob;
import io.telemetrysuite.aggregate.AggregateStreams;
import io.telemetrysuite.ingest.IngestJob;
import io.telemetrysuite.ingest.IngestStreams;
import io.telemetrysuite.model.DeadLetter;
import io.telemetrysuite.model.InferenceSample;
import io.telemetrysuite.model.LogRecord;
import io.telemetrysuite.model.MetricPoint;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.model.WorkloadRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.bridge.java.StreamStatementSet;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;

/**
 * {@code ./telemetry bench aggregate}: the aggregate topology ({@link AggregateJob#buildTopology}) in a
 * MiniCluster against the same windows written in Flink SQL (windowing TVFs, cascaded 10s → 1m → 5m →
 * 1h like the topology's roll-ups, into blackhole sinks), in the same process, over the same
 * pre-generated {@link Span}s held in memory.
 *
 * <p>Both jobs read the spans from a FLIP-27 {@link DataGeneratorSource} whose function indexes into
 * one shared array, so neither pays for generating, decoding or copying events into the job: the rate
 * is that of the windows and everything Flink puts around them.
 */
public final class AggregateBenchmark {
    /** Event-time rate of the generated workload: 2,000 spans/s, so 2 M spans are ~17 minutes of windows. */
    static final long SPANS_PER_EVENT_SECOND = 2_000;
    /** Largest out-of-orderness of the generated event times; below the job's 5 s watermark bound, so nothing is late. */
    static final long MAX_JITTER_MILLIS = 2_000;
    private static final long EPOCH_MILLIS = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    private static final String[] SERVICES = {"frontend", "checkout", "cart", "payment", "inventory", "recommendation"};
    private static final String[] OPERATIONS = {"GET /", "POST /checkout", "GET /cart", "charge", "reserve", "list"};
    private static final String[] KINDS = {"SERVER", "CLIENT", "INTERNAL"};

    /**
     * The events of the running job, read by {@link SharedSpans} inside the MiniCluster (same JVM). Laid
     * out per source subtask: subtask k's split is the k-th contiguous block and holds every
     * parallelism-th span of the time-ordered stream, so every subtask covers the whole event-time range
     * in order, as ingest's subtasks do, instead of one subtask reading the first half of time.
     */
    private static volatile Span[] current = new Span[0];

    private final long events;
    private final int parallelism;
    private final AggregateConfig config = new AggregateConfig();

    public AggregateBenchmark(long events, int parallelism) {
        if (parallelism < 1) throw new IllegalArgumentException("--parallelism must be at least 1");
        // Whole lanes: the generator source splits [0, n) into `parallelism` equal ranges.
        this.events = Math.max(parallelism, events / parallelism * parallelism);
        this.parallelism = parallelism;
        if (this.events > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("--events: at most ~2 billion");
    }

    public String run() throws Exception {
        long warmupEvents = Math.max(parallelism, events / 5 / parallelism * parallelism);
        Span[] warmup = generate((int) warmupEvents, parallelism);
        Span[] spans = generate((int) events, parallelism);
        System.out.printf("aggregate benchmark: %,d spans in memory (%d services, %d keys, %,d spans/s of event time: %,d s;"
                        + " windows at %s), parallelism %d%n",
                events, SERVICES.length, SERVICES.length * OPERATIONS.length * KINDS.length, SPANS_PER_EVENT_SECOND,
                events / SPANS_PER_EVENT_SECOND, labels(), parallelism);

        // Warm both sides up (JIT, class loading, the planner's code generation, Flink's first job).
        current = warmup;
        topology(warmupEvents);
        sql(warmupEvents);

        current = spans;
        JobExecutionResult topology = topology(events);
        JobExecutionResult sql = sql(events);
        current = new Span[0];
        double topologyRate = events / (topology.getNetRuntime() / 1000.0);
        double sqlRate = events / (sql.getNetRuntime() / 1000.0);
        System.out.printf("  aggregate topology, MiniCluster:          %,12.0f events/s  (net runtime %,d ms)%n", topologyRate, topology.getNetRuntime());
        System.out.printf("  Flink SQL windowing TVFs, MiniCluster:    %,12.0f events/s  (net runtime %,d ms)%n", sqlRate, sql.getNetRuntime());
        return String.format("aggregate: %.0f events/s, baseline %.0f events/s, ratio %.2f", topologyRate, sqlRate, topologyRate / sqlRate);
    }

    /**
     * The job's own topology, in the Kafka job's shape (event time assigned in the source, so each
     * signal's pre-aggregation chains to it): spans from memory, the other signals empty, every output discarded.
     */
    private JobExecutionResult topology(long n) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, IngestJob.baseConfiguration());
        IngestStreams in = new IngestStreams(spans(env, n, AggregateJob.sourceWatermarks(config, true).of(Span.class)),
                empty(env, MetricPoint.class), empty(env, LogRecord.class), empty(env, WorkloadRecord.class),
                empty(env, SystemSample.class), empty(env, InferenceSample.class), empty(env, DeadLetter.class));
        AggregateStreams out = AggregateJob.buildTopology(in, config, null);
        out.aggregates().sinkTo(new DiscardingSink<>()).name("Discard aggregates");
        out.lateDeadLetters().sinkTo(new DiscardingSink<>()).name("Discard late events");
        return env.execute("aggregate benchmark (topology)");
    }

    /**
     * The baseline: count, error count and max duration per service, span name, route and kind, in
     * tumbling event-time windows at the same resolutions, as Flink SQL. Like the topology, only the
     * finest window reads events and each coarser one rolls up the one before it (cascaded window
     * TVFs on {@code window_time}); one statement set, so the planner shares the source and the levels.
     */
    private JobExecutionResult sql(long n) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, IngestJob.baseConfiguration());
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        // The same projection Observation.of makes, to a row; the SQL starts from there.
        DataStream<Row> rows = spans(env, n, WatermarkStrategy.noWatermarks())
                .map(span -> {
                    String route = span.attribute("http.route");
                    return Row.of(span.serviceName, span.name, route == null ? "" : route, span.kind, span.statusCode,
                            span.startTimeUnixNano / 1_000_000L, span.durationNanos() / 1_000_000.0);
                })
                .returns(Types.ROW_NAMED(new String[] {"serviceName", "spanName", "route", "kind", "statusCode", "startMs", "durationMs"},
                        Types.STRING, Types.STRING, Types.STRING, Types.STRING, Types.STRING, Types.LONG, Types.DOUBLE))
                .name("Span to row");
        tables.createTemporaryView("spans", tables.fromDataStream(rows, Schema.newBuilder()
                .columnByExpression("ts", "TO_TIMESTAMP_LTZ(startMs, 3)")
                .watermark("ts", "ts - " + interval(config.maxOutOfOrderness))
                .build()));

        StreamStatementSet statements = tables.createStatementSet();
        String keys = "serviceName, spanName, route, kind";
        String previous = null;
        for (Duration resolution : config.resolutions) {
            String label = AggregateConfig.label(resolution);
            String view = "windows_" + label;
            String window = interval(resolution);
            String select = previous == null
                    ? "SELECT window_start AS wstart, window_end AS wend, window_time AS rowtime, " + keys + ", COUNT(*) AS cnt,"
                      + " SUM(CASE WHEN statusCode = 'ERROR' THEN 1 ELSE 0 END) AS errors, MAX(durationMs) AS maxMs"
                      + " FROM TABLE(TUMBLE(TABLE spans, DESCRIPTOR(ts), " + window + "))"
                    : "SELECT window_start AS wstart, window_end AS wend, window_time AS rowtime, " + keys + ", SUM(cnt) AS cnt,"
                      + " SUM(errors) AS errors, MAX(maxMs) AS maxMs"
                      + " FROM TABLE(TUMBLE(TABLE " + previous + ", DESCRIPTOR(rowtime), " + window + "))";
            // The window columns are renamed: the next level's TUMBLE adds its own window_start and window_end.
            tables.executeSql("CREATE TEMPORARY VIEW " + view + " AS " + select
                    + " GROUP BY window_start, window_end, window_time, " + keys);
            tables.executeSql("CREATE TEMPORARY TABLE sink_" + label + " (window_start TIMESTAMP(3), window_end TIMESTAMP(3),"
                    + " serviceName STRING, spanName STRING, route STRING, kind STRING, cnt BIGINT, errors BIGINT, maxMs DOUBLE)"
                    + " WITH ('connector' = 'blackhole')");
            statements.addInsertSql("INSERT INTO sink_" + label + " SELECT wstart, wend, " + keys
                    + ", CAST(cnt AS BIGINT), CAST(errors AS BIGINT), maxMs FROM " + view);
            previous = view;
        }
        statements.attachAsDataStream();
        return env.execute("aggregate benchmark (Flink SQL)");
    }

    private DataStream<Span> spans(StreamExecutionEnvironment env, long n, WatermarkStrategy<Span> watermarks) {
        return env.fromSource(new DataGeneratorSource<>(new SharedSpans(), n, TypeInformation.of(Span.class)),
                        watermarks, "Spans in memory")
                .setParallelism(parallelism);
    }

    private static <T> DataStream<T> empty(StreamExecutionEnvironment env, Class<T> type) throws Exception {
        // fromData cannot produce nothing: one placeholder, filtered out (as AggregateJobTest does).
        return env.fromData(List.of(type.getDeclaredConstructor().newInstance()), TypeInformation.of(type)).setParallelism(1)
                .filter(placeholder -> false).setParallelism(1);
    }

    /** Reads the shared array: the {@code i}-th number of the sequence is the {@code i}-th span. */
    private static final class SharedSpans implements GeneratorFunction<Long, Span> {
        private transient Span[] spans;

        @Override
        public void open(org.apache.flink.api.connector.source.SourceReaderContext readerContext) {
            spans = current;
        }

        @Override
        public Span map(Long index) {
            return spans[(int) (long) index];
        }
    }

    /**
     * {@code n} spans, deterministic: six services × six operations × three kinds (routes on server
     * spans), event time advancing at {@link #SPANS_PER_EVENT_SECOND} with up to
     * {@link #MAX_JITTER_MILLIS} of out-of-orderness, 1 % errors, log-normal durations (median ~20 ms,
     * p99 ~ 0.5 s); laid out in {@code lanes} time-ordered blocks (see {@link #current}).
     */
    static Span[] generate(int n, int lanes) {
        SplittableRandom random = new SplittableRandom(42);
        int keys = SERVICES.length * OPERATIONS.length * KINDS.length;
        Map<String, String> noAttributes = Map.of();
        List<Map<String, String>> routes = new ArrayList<>();
        for (String operation : OPERATIONS) routes.add(Map.of("http.route", "/" + operation.replace(' ', '_').toLowerCase()));
        Span[] spans = new Span[n];
        int perLane = n / lanes;
        for (int e = 0; e < n; e++) {
            int key = random.nextInt(keys);
            int service = key % SERVICES.length;
            int operation = (key / SERVICES.length) % OPERATIONS.length;
            int kind = key / (SERVICES.length * OPERATIONS.length);
            Span span = new Span();
            span.traceId = "0af7651916cd43dd8448eb211c80319c";
            span.spanId = "b7ad6b7169203331";
            span.serviceName = SERVICES[service];
            span.name = OPERATIONS[operation];
            span.kind = KINDS[kind];
            // Shared, never mutated: keeps 2 M spans to a few hundred MB.
            span.attributes = kind == 0 ? routes.get(operation) : noAttributes;
            span.resourceAttributes = noAttributes;
            span.events = List.of();
            span.links = List.of();
            span.violations = List.of();
            long startMillis = EPOCH_MILLIS + e * 1_000L / SPANS_PER_EVENT_SECOND - random.nextLong(MAX_JITTER_MILLIS + 1);
            double durationMs = Math.exp(Math.log(20) + 1.4 * gaussian(random));
            span.startTimeUnixNano = startMillis * 1_000_000L;
            span.endTimeUnixNano = span.startTimeUnixNano + (long) (durationMs * 1_000_000L);
            span.statusCode = random.nextInt(100) == 0 ? "ERROR" : "UNSET";
            spans[(e % lanes) * perLane + e / lanes] = span;
        }
        return spans;
    }

    private static double gaussian(SplittableRandom random) {
        // Box–Muller; SplittableRandom has no nextGaussian on Java 17.
        double u = 1.0 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /** A SQL interval literal: Flink SQL has no MILLISECOND unit, and SECOND's default precision stops at 99. */
    private static String interval(Duration d) {
        String label = AggregateConfig.label(d);
        String unit = switch (label.replaceAll("[0-9]", "")) {
            case "h" -> "HOUR";
            case "m" -> "MINUTE";
            case "s" -> "SECOND";
            default -> throw new IllegalArgumentException("the SQL baseline needs whole seconds, minutes or hours, got " + label);
        };
        return "INTERVAL '" + label.replaceAll("[a-z]", "") + "' " + unit;
    }

    private String labels() {
        return String.join(", ", config.resolutions.stream().map(AggregateConfig::label).toList());
    }
}
