package io.telemetrysuite.cli;

import io.telemetrysuite.aggregate.AggregateConfig;
import io.telemetrysuite.aggregate.AggregateJob;
import io.telemetrysuite.aggregate.AggregateKafka;
import io.telemetrysuite.alertmanager.AlertmanagerSink;
import io.telemetrysuite.cep.CepConfig;
import io.telemetrysuite.cep.CepJob;
import io.telemetrysuite.cep.rule.Rule;
import io.telemetrysuite.cep.rule.RuleLoader;
import io.telemetrysuite.generator.GeneratorConfig;
import io.telemetrysuite.generator.GeneratorJob;
import io.telemetrysuite.ingest.IngestConfig;
import io.telemetrysuite.ingest.IngestJob;
import io.telemetrysuite.ingest.IngestPolicies;
import io.telemetrysuite.model.Alert;
import io.telemetrysuite.services.AlertmanagerServer;
import io.telemetrysuite.services.KafkaBroker;
import io.telemetrysuite.services.KafkaBrokerDaemon;
import io.telemetrysuite.services.PrometheusServer;
import io.telemetrysuite.traces.TraceConfig;
import io.telemetrysuite.traces.TraceJob;
import io.telemetrysuite.traces.TraceKafka;
import io.telemetrysuite.traces.sampling.TailSamplingConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.annotation.Nullable;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The whole suite on this machine, as {@code ./telemetry demo} runs it: Kafka, Alertmanager,
 * Prometheus, a Flink MiniCluster with its web UI, the synthetic workload with its injected anomalies,
 * and every job submitted through the MiniCluster's REST endpoint, the way a real cluster receives
 * them. {@link #start} brings everything up and prints the addresses, {@link #follow} prints committed
 * alerts and progress, {@link #close} stops everything; {@code DemoTest} drives the same three.
 */
final class Demo implements AutoCloseable {
    static final String GENERATOR = "telemetry-generator";
    /**
     * How much faster than real time the workload's history ({@link GeneratorConfig#DEMO_HISTORY_MILLIS})
     * is replayed: 6 minutes in 40 s, after which the workload runs in real time.
     */
    static final double HISTORY_SPEEDUP = 10.0;

    /** What a demo run is given; the defaults are those of {@code ./telemetry demo}. */
    static final class Options {
        Path root;
        /** Broker log, checkpoints, Prometheus and Alertmanager data: emptied at every start. */
        Path state;
        /** The Parquet archives of the aggregate and trace jobs ({@code archive/}, {@code trace-archive/}). */
        Path archives;
        Path savepoints;
        int restPort = 8081;
        double tracesPerSecond = 20;
        boolean sampling = true;
        /** Use the broker {@code ./telemetry kafka start} runs, when there is one. */
        boolean useRunningBroker = true;
        PrintStream out = System.out;

        static Options forRepo(Path root) {
            Options o = new Options();
            o.root = root;
            o.state = root.resolve(".telemetry/demo");
            o.archives = root.resolve(".telemetry");
            o.savepoints = root.resolve("savepoints");
            return o;
        }
    }

    final long startedMillis;
    /** When every job had been submitted and the addresses printed. */
    final long runningMillis = System.currentTimeMillis();
    /** Event time at which the workload, and its anomaly schedule, starts. */
    final long workloadStartMillis;
    final String bootstrap;
    final URI webUi;
    @Nullable final PrometheusServer prometheus;
    @Nullable final AlertmanagerServer alertmanager;
    final List<Rule> rules;
    final String alertsTopic;
    private final PrintStream out;
    private final List<String> progressTopics;
    @Nullable private final KafkaBroker ownBroker;
    private final MiniCluster cluster;
    private boolean closed;

    private Demo(long startedMillis, long workloadStartMillis, String bootstrap, URI webUi, @Nullable PrometheusServer prometheus,
                 @Nullable AlertmanagerServer alertmanager, List<Rule> rules, String alertsTopic, PrintStream out,
                 List<String> progressTopics, @Nullable KafkaBroker ownBroker, MiniCluster cluster) {
        this.startedMillis = startedMillis;
        this.workloadStartMillis = workloadStartMillis;
        this.bootstrap = bootstrap;
        this.webUi = webUi;
        this.prometheus = prometheus;
        this.alertmanager = alertmanager;
        this.rules = rules;
        this.alertsTopic = alertsTopic;
        this.out = out;
        this.progressTopics = progressTopics;
        this.ownBroker = ownBroker;
        this.cluster = cluster;
    }

    /** Starts the services and the MiniCluster, submits every job and prints where to look. */
    static Demo start(Options o) throws Exception {
        long started = System.currentTimeMillis();
        PrintStream out = o.out;
        // Last run's state would replay through every job, and its checkpoints belong to other job ids.
        deleteRecursively(o.state);
        List<Rule> rules = RuleLoader.load(o.root.resolve("cep-rules"));
        KafkaBroker ownBroker = null;
        String bootstrap;
        KafkaBrokerDaemon.Status daemon = o.useRunningBroker ? KafkaBrokerDaemon.forRepo().status() : null;
        if (daemon != null && daemon.running()) {
            bootstrap = daemon.bootstrapServers();
            out.println("Kafka (KRaft): using the running broker on " + bootstrap);
        } else {
            // A fresh broker each run: last run's events would replay through every job from the earliest
            // offsets, and the gap between two runs looks to the CEP rules like every host going silent.
            ownBroker = KafkaBroker.builder().dataDir(o.state.resolve("kafka")).start();
            bootstrap = ownBroker.bootstrapServers();
            out.println("Kafka (KRaft) on " + bootstrap + " (log " + ownBroker.logFile() + ")");
        }
        AlertmanagerServer alertmanager = null;
        PrometheusServer prometheus = null;
        MiniCluster cluster = null;
        try {
            IngestConfig ingest = new IngestConfig();
            ingest.bootstrapServers = bootstrap;
            ingest.sampling.enabled = o.sampling;
            CepConfig cep = new CepConfig();
            // The history replay runs event time at 10x, so a subtask of ingest descheduled for half a second
            // on a busy machine puts 5 s of event time between its records and its sibling's in the topics
            // the CEP job reads. 30 s instead of the job's 5 s keeps such records from being dropped as late;
            // live, it delays each alert by 25 s more.
            cep.maxOutOfOrderness = Duration.ofSeconds(30);
            createTopics(bootstrap, ingest, cep);

            Configuration flinkConf = GlobalConfiguration.loadConfiguration(o.root.resolve("flink-conf").toString());
            flinkConf.addAll(IngestJob.baseConfiguration());
            flinkConf.set(RestOptions.PORT, o.restPort);
            // Ingest's and the CEP job's exactly-once sinks publish at checkpoints, and an alert crosses both:
            // at the suite's 10 s the interval is most of the delay between an anomaly and its alert.
            flinkConf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(5));
            flinkConf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, o.state.resolve("checkpoints").toUri().toString());
            flinkConf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, o.savepoints.toUri().toString());

            alertmanager = startAlertmanager(o.state, out);
            prometheus = startPrometheus(o.root, o.state, alertmanager, out);

            cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                    .setConfiguration(flinkConf)
                    .setNumTaskManagers(1)
                    .setNumSlotsPerTaskManager(12)
                    .build());
            cluster.start();
            URI web = cluster.getRestAddress().get();
            out.println("Flink web UI: " + web);

            GeneratorConfig generator = generatorConfig(o.tracesPerSecond, System.currentTimeMillis());
            submit(web, flinkConf, env -> {
                // One subtask: two would each pace their own clock from the moment they opened, and at 10x a
                // second between them is ten seconds of event time in the same topic.
                env.setParallelism(1);
                GeneratorJob.buildTopology(env, generator, GeneratorJob.kafkaSink(bootstrap));
            }, GENERATOR);
            IngestPolicies policies = IngestPolicies.load(ingest);
            submit(web, flinkConf, env -> IngestJob.attachSinks(
                    IngestJob.buildTopology(IngestJob.kafkaSource(env, ingest, false), ingest, policies), IngestJob.kafkaSinks(ingest), null),
                    IngestJob.NAME);

            String remoteWrite = prometheus == null ? null : prometheus.remoteWriteUrl();
            submit(web, flinkConf, env -> AggregateJob.kafkaTopology(env, new AggregateConfig(), bootstrap, ingest.topics,
                    AggregateKafka.AGGREGATES_TOPIC, AggregateKafka.FORECASTS_TOPIC, AggregateKafka.DEAD_LETTER_TOPIC,
                    "telemetry-aggregate", "telemetry-aggregate", remoteWrite, o.archives.resolve("archive"), false), AggregateJob.NAME);

            AlertmanagerSink alertSink = alertmanager == null ? null : new AlertmanagerSink(alertmanager.url());
            submit(web, flinkConf, env -> CepJob.kafkaTopology(env, bootstrap, ingest.topics, AggregateKafka.AGGREGATES_TOPIC, rules, cep,
                    alertSink, false), CepJob.NAME);

            TailSamplingConfig tailSampling = TailSamplingConfig.load(o.root.resolve("deploy/config/tail-sampling.yaml"));
            submit(web, flinkConf, env -> TraceJob.kafkaTopology(env, TraceConfig.of(tailSampling), bootstrap, ingest.topics,
                    TraceKafka.TRACES_TOPIC, TraceKafka.SUMMARIES_TOPIC, "telemetry-traces", "telemetry-traces",
                    o.archives.resolve("trace-archive"), remoteWrite, false), TraceJob.NAME);

            out.println("jobs: " + String.join(", ", GENERATOR, IngestJob.NAME, AggregateJob.NAME, CepJob.NAME, TraceJob.NAME)
                    + "  (" + rules.size() + " rules from cep-rules/)");
            out.printf("workload: %.1f traces/s; it starts %d s in the past and replays that history at %.0fx, then runs in real time;"
                            + " its anomalies fire every rule in cep-rules/ (see GeneratorConfig.demoAnomalies)%n",
                    o.tracesPerSecond, GeneratorConfig.DEMO_HISTORY_MILLIS / 1000, HISTORY_SPEEDUP);
            List<String> progressTopics = new ArrayList<>(ingest.topics.outputs());
            progressTopics.addAll(List.of(AggregateKafka.AGGREGATES_TOPIC, cep.alertsTopic, TraceKafka.TRACES_TOPIC, TraceKafka.SUMMARIES_TOPIC));
            return new Demo(started, generator.startMillis, bootstrap, web, prometheus, alertmanager, rules, cep.alertsTopic, out, progressTopics, ownBroker,
                    cluster);
        } catch (Exception | Error e) {
            stopAll(cluster, ownBroker, prometheus, alertmanager);
            throw e;
        }
    }

    /**
     * The demo's workload: {@code tracesPerSecond} from one generator subtask, starting {@link GeneratorConfig#DEMO_HISTORY_MILLIS} before {@code nowMillis}, replayed at
     * {@link #HISTORY_SPEEDUP} until it reaches the wall clock, with the demo's anomaly schedule.
     */
    static GeneratorConfig generatorConfig(double tracesPerSecond, long nowMillis) {
        GeneratorConfig generator = GeneratorJob.parseArgs(new String[] {
                "--start", "now-" + Duration.ofMillis(GeneratorConfig.DEMO_HISTORY_MILLIS),
                "--speedup", Double.toString(HISTORY_SPEEDUP),
                "--traces-per-second", Double.toString(tracesPerSecond),
                // A visible trickle of malformed records, so the dead-letter topic has something to show.
                "--malformed-rate", "0.01"}, nowMillis);
        // The subtask starts the history from its beginning when it opens: anchored at submission, the
        // time the job takes to start would be skipped ten times over, and with it the first minutes of
        // the memory anomaly that host-memory-high needs five minutes of. (A restarted subtask replays
        // the history again; the CEP job drops most of it as late.)
        generator.wallClockStartMillis = 0;
        generator.anomalies = GeneratorConfig.demoAnomalies();
        generator.anomalyCycleMillis = GeneratorConfig.DEMO_ANOMALY_CYCLE_MILLIS;
        return generator.validate();
    }

    /**
     * Prints every committed alert as it comes and the progress line every 10 s, while {@code keepGoing}
     * says so; returns the alerts it printed.
     */
    List<Alert> follow(BooleanSupplier keepGoing) {
        List<Alert> seen = new ArrayList<>();
        try (TopicProgress progress = new TopicProgress(bootstrap, progressTopics);
             AlertFeed alerts = new AlertFeed(bootstrap, alertsTopic)) {
            long nextProgress = System.currentTimeMillis() + 10_000;
            while (keepGoing.getAsBoolean()) {
                for (AlertFeed.Entry entry : alerts.poll()) {
                    out.printf("[%s] %s%n", elapsed(), entry.line());
                    if (entry.alert() != null) seen.add(entry.alert());
                }
                if (System.currentTimeMillis() >= nextProgress) {
                    out.printf("[%s] %s%n", elapsed(), progress.poll());
                    nextProgress += 10_000;
                }
            }
        }
        return seen;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        stopAll(cluster, ownBroker, prometheus, alertmanager);
    }

    private static void stopAll(@Nullable MiniCluster cluster, @Nullable KafkaBroker broker, @Nullable PrometheusServer prometheus,
                                @Nullable AlertmanagerServer alertmanager) {
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception ignored) {
                // Shutting down anyway: the services below must stop too.
            }
        }
        if (broker != null) broker.stop();
        if (prometheus != null) prometheus.stop();
        if (alertmanager != null) alertmanager.stop();
    }

    private interface Topology {
        void build(StreamExecutionEnvironment env) throws Exception;
    }

    private static void submit(URI web, Configuration conf, Topology topology, String name) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createRemoteEnvironment(web.getHost(), web.getPort(), conf);
        env.enableCheckpointing(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL).toMillis());
        topology.build(env);
        env.executeAsync(name);
    }

    /**
     * A real Prometheus for the aggregate job's windows and the service graph (remote write) and
     * Flink's own metrics (the reporter on 9249), evaluating the pipeline's own alert rules
     * ({@code deploy/prometheus/pipeline-alerts.yml}) into the demo's Alertmanager; the demo goes on
     * without it where the Debian package is missing.
     */
    @Nullable
    private static PrometheusServer startPrometheus(Path root, Path state, @Nullable AlertmanagerServer alertmanager, PrintStream out) {
        try {
            PrometheusServer.Builder builder = PrometheusServer.builder()
                    .dataDir(state.resolve("prometheus"))
                    .scrapeTarget("127.0.0.1:9249")
                    .ruleFile(root.resolve("deploy/prometheus/pipeline-alerts.yml"));
            if (alertmanager != null) builder.alertmanager(alertmanager.url());
            PrometheusServer prometheus = builder.start();
            out.println("Prometheus: " + prometheus.url() + " (aggregates: telemetry_red_*, telemetry_workload_*, ...; Flink: flink_*)");
            return prometheus;
        } catch (RuntimeException e) {
            out.println("Prometheus not started (" + e.getMessage().lines().findFirst().orElse("") + "): continuing without it");
            return null;
        }
    }

    /** The real Alertmanager the CEP job posts to; the demo goes on without it where the package is missing. */
    @Nullable
    private static AlertmanagerServer startAlertmanager(Path state, PrintStream out) {
        try {
            AlertmanagerServer alertmanager = AlertmanagerServer.builder().dataDir(state.resolve("alertmanager")).start();
            out.println("Alertmanager: " + alertmanager.url() + " (alerts of the rules in cep-rules/)");
            return alertmanager;
        } catch (RuntimeException e) {
            out.println("Alertmanager not started (" + e.getMessage().lines().findFirst().orElse("") + "): continuing without it");
            return null;
        }
    }

    private static void createTopics(String bootstrap, IngestConfig ingest, CepConfig cep) {
        Map<String, Integer> topics = new LinkedHashMap<>();
        // One partition in: the history replay outruns ingest, and two ingest readers would drain two input
        // partitions at their own pace, tens of seconds of event time apart. Ingest does not reorder, so
        // its output topics would interleave the two, and the CEP job, whose watermark trails the largest
        // event time by 5 s, would drop the lagging reader's spans and logs as late (a failed login among
        // them, and failed-logins-then-success never fires). Fed by one reader, ingest's keyed stages
        // stay within a few network buffers of each other.
        for (String topic : ingest.topics.inputs()) topics.put(topic, 1);
        for (String topic : ingest.topics.outputs()) topics.put(topic, 2);
        topics.put(AggregateKafka.AGGREGATES_TOPIC, 2);
        topics.put(AggregateKafka.FORECASTS_TOPIC, 2);
        topics.put(AggregateKafka.DEAD_LETTER_TOPIC, 2);
        topics.put(cep.alertsTopic, 2);
        topics.put(TraceKafka.TRACES_TOPIC, 2);
        topics.put(TraceKafka.SUMMARIES_TOPIC, 2);
        TopicProgress.createTopics(bootstrap, topics);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    private String elapsed() {
        long s = (System.currentTimeMillis() - startedMillis) / 1000;
        return String.format("%02d:%02d", s / 60, s % 60);
    }
}
