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
import io.telemetrysuite.services.AlertmanagerServer;
import io.telemetrysuite.services.KafkaBroker;
import io.telemetrysuite.services.KafkaBrokerDaemon;
import io.telemetrysuite.services.PrometheusServer;
import io.telemetrysuite.services.RepoLayout;
import io.telemetrysuite.traces.TraceConfig;
import io.telemetrysuite.traces.TraceJob;
import io.telemetrysuite.traces.TraceKafka;
import io.telemetrysuite.traces.sampling.TailSamplingConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./telemetry demo}: Kafka, a Flink MiniCluster with its web UI, the synthetic workload and
 * every job of the suite, until Ctrl-C. Jobs are submitted through the MiniCluster's REST endpoint,
 * the way a real cluster receives them.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole suite locally: Kafka, a Flink MiniCluster with web UI, synthetic workload, every job.")
final class DemoCommand implements Callable<Integer> {
    private static final String GENERATOR = "telemetry-generator";

    @Option(names = "--rest-port", defaultValue = "8081", description = "Flink web UI port (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int restPort;

    @Option(names = "--traces-per-second", defaultValue = "40",
            description = "Synthetic traces per second, before the periodic load shape and bursts (default: ${DEFAULT-VALUE}).")
    double tracesPerSecond;

    @Option(names = "--sampling", defaultValue = "on", description = "Ingest sampling on|off (default: ${DEFAULT-VALUE}).")
    String sampling;

    @Option(names = "--seconds", defaultValue = "0", description = "Stop after this many seconds (default: run until Ctrl-C).")
    long seconds;

    @Override
    public Integer call() throws Exception {
        Path root = RepoLayout.root();
        KafkaBroker ownBroker = null;
        String bootstrap;
        KafkaBrokerDaemon.Status daemon = KafkaBrokerDaemon.forRepo().status();
        if (daemon.running()) {
            bootstrap = daemon.bootstrapServers();
            System.out.println("Kafka (KRaft): using the running broker on " + bootstrap);
        } else {
            // A fresh broker each run: last run's events would replay through every job from the earliest
            // offsets, and the gap between two runs looks to the CEP rules like every host going silent.
            Path kafkaDir = root.resolve(".telemetry/demo/kafka");
            deleteRecursively(kafkaDir);
            ownBroker = KafkaBroker.builder().dataDir(kafkaDir).start();
            bootstrap = ownBroker.bootstrapServers();
            System.out.println("Kafka (KRaft) on " + bootstrap + " (log " + ownBroker.logFile() + ")");
        }

        IngestConfig ingest = new IngestConfig();
        ingest.bootstrapServers = bootstrap;
        ingest.sampling.enabled = !"off".equalsIgnoreCase(sampling);
        createTopics(bootstrap, ingest);

        Configuration flinkConf = GlobalConfiguration.loadConfiguration(root.resolve("flink-conf").toString());
        flinkConf.addAll(IngestJob.baseConfiguration());
        flinkConf.set(RestOptions.PORT, restPort);
        flinkConf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, root.resolve(".telemetry/demo/checkpoints").toUri().toString());
        flinkConf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, root.resolve("savepoints").toUri().toString());

        AlertmanagerServer alertmanager = startAlertmanager(root);
        PrometheusServer prometheus = startPrometheus(root, alertmanager);

        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(flinkConf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(12)
                .build());
        cluster.start();
        URI web = cluster.getRestAddress().get();
        System.out.println("Flink web UI: " + web);

        KafkaBroker brokerToStop = ownBroker;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nstopping ...");
            try {
                cluster.close();
            } catch (Exception ignored) {
                // Shutting down anyway.
            }
            if (brokerToStop != null) brokerToStop.stop();
            if (prometheus != null) prometheus.stop();
            if (alertmanager != null) alertmanager.stop();
            stopped.countDown();
        }));

        GeneratorConfig generator = GeneratorJob.parseArgs(
                new String[] {"--start", "now", "--traces-per-second", Double.toString(tracesPerSecond),
                        // A visible trickle of malformed records, so the dead-letter topic has something to show.
                        "--malformed-rate", "0.01"}, System.currentTimeMillis());
        // The anomalies early, so the shipped rules fire within the demo's first two minutes.
        generator.anomalies = GeneratorConfig.demoAnomalies();
        generator.anomalyCycleMillis = GeneratorConfig.DEMO_ANOMALY_CYCLE_MILLIS;
        submit(web, flinkConf, env -> GeneratorJob.buildTopology(env, generator, GeneratorJob.kafkaSink(bootstrap)), GENERATOR);
        IngestPolicies policies = IngestPolicies.load(ingest);
        submit(web, flinkConf, env -> IngestJob.attachSinks(
                IngestJob.buildTopology(IngestJob.kafkaSource(env, ingest, false), ingest, policies), IngestJob.kafkaSinks(ingest), null),
                IngestJob.NAME);

        submit(web, flinkConf, env -> AggregateJob.kafkaTopology(env, new AggregateConfig(), bootstrap, ingest.topics,
                AggregateKafka.AGGREGATES_TOPIC, AggregateKafka.FORECASTS_TOPIC, AggregateKafka.DEAD_LETTER_TOPIC,
                "telemetry-aggregate", "telemetry-aggregate",
                prometheus == null ? null : prometheus.remoteWriteUrl(), root.resolve(".telemetry/archive"), false), AggregateJob.NAME);

        CepConfig cep = new CepConfig();
        List<Rule> rules = RuleLoader.load(root.resolve("cep-rules"));
        submit(web, flinkConf, env -> CepJob.kafkaTopology(env, bootstrap, ingest.topics, AggregateKafka.AGGREGATES_TOPIC, rules, cep,
                alertmanager == null ? null : new AlertmanagerSink(alertmanager.url()), false), CepJob.NAME);

        TailSamplingConfig tailSampling = TailSamplingConfig.load(root.resolve("deploy/config/tail-sampling.yaml"));
        submit(web, flinkConf, env -> TraceJob.kafkaTopology(env, TraceConfig.of(tailSampling), bootstrap, ingest.topics,
                TraceKafka.TRACES_TOPIC, TraceKafka.SUMMARIES_TOPIC, "telemetry-traces", "telemetry-traces",
                root.resolve(".telemetry/trace-archive"), prometheus == null ? null : prometheus.remoteWriteUrl(), false), TraceJob.NAME);

        System.out.println("jobs: " + String.join(", ", GENERATOR, IngestJob.NAME, AggregateJob.NAME, CepJob.NAME, TraceJob.NAME)
                + "  (" + rules.size() + " rules from cep-rules/; Ctrl-C stops everything)");
        List<String> progressTopics = new java.util.ArrayList<>(ingest.topics.outputs());
        progressTopics.addAll(List.of(AggregateKafka.AGGREGATES_TOPIC, cep.alertsTopic, TraceKafka.TRACES_TOPIC, TraceKafka.SUMMARIES_TOPIC));
        try (TopicProgress progress = new TopicProgress(bootstrap, progressTopics);
             AlertFeed alerts = new AlertFeed(bootstrap, cep.alertsTopic)) {
            long start = System.currentTimeMillis();
            long nextProgress = start + 10_000;
            while (seconds == 0 || System.currentTimeMillis() - start < seconds * 1000) {
                // Alerts as they are committed; the progress line every 10 s.
                for (String alert : alerts.poll()) System.out.printf("[%s] %s%n", elapsed(start), alert);
                if (System.currentTimeMillis() >= nextProgress) {
                    System.out.printf("[%s] %s%n", elapsed(start), progress.poll());
                    nextProgress += 10_000;
                }
            }
        }
        System.exit(0);
        return 0;
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
    private static PrometheusServer startPrometheus(Path root, AlertmanagerServer alertmanager) {
        try {
            PrometheusServer.Builder builder = PrometheusServer.builder()
                    .dataDir(root.resolve(".telemetry/demo/prometheus"))
                    .scrapeTarget("127.0.0.1:9249")
                    .ruleFile(root.resolve("deploy/prometheus/pipeline-alerts.yml"));
            if (alertmanager != null) builder.alertmanager(alertmanager.url());
            PrometheusServer prometheus = builder.start();
            System.out.println("Prometheus: " + prometheus.url() + " (aggregates: telemetry_red_*, telemetry_workload_*, ...; Flink: flink_*)");
            return prometheus;
        } catch (RuntimeException e) {
            System.out.println("Prometheus not started (" + e.getMessage().lines().findFirst().orElse("") + "): continuing without it");
            return null;
        }
    }

    /** The real Alertmanager the CEP job posts to; the demo goes on without it where the package is missing. */
    private static AlertmanagerServer startAlertmanager(Path root) {
        try {
            AlertmanagerServer alertmanager = AlertmanagerServer.builder().dataDir(root.resolve(".telemetry/demo/alertmanager")).start();
            System.out.println("Alertmanager: " + alertmanager.url() + " (alerts of the rules in cep-rules/)");
            return alertmanager;
        } catch (RuntimeException e) {
            System.out.println("Alertmanager not started (" + e.getMessage().lines().findFirst().orElse("") + "): continuing without it");
            return null;
        }
    }

    private static void createTopics(String bootstrap, IngestConfig ingest) {
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (String topic : ingest.topics.inputs()) topics.put(topic, 2);
        for (String topic : ingest.topics.outputs()) topics.put(topic, 2);
        topics.put(AggregateKafka.AGGREGATES_TOPIC, 2);
        topics.put(AggregateKafka.FORECASTS_TOPIC, 2);
        topics.put(AggregateKafka.DEAD_LETTER_TOPIC, 2);
        topics.put(new CepConfig().alertsTopic, 2);
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

    private static String elapsed(long start) {
        long s = (System.currentTimeMillis() - start) / 1000;
        return String.format("%02d:%02d", s / 60, s % 60);
    }

}
