package io.telemetrysuite.cli;

import io.telemetrysuite.aggregate.AggregateConfig;
import io.telemetrysuite.aggregate.AggregateJob;
import io.telemetrysuite.aggregate.AggregateKafka;
import io.telemetrysuite.generator.GeneratorConfig;
import io.telemetrysuite.generator.GeneratorJob;
import io.telemetrysuite.ingest.IngestConfig;
import io.telemetrysuite.ingest.IngestJob;
import io.telemetrysuite.ingest.IngestPolicies;
import io.telemetrysuite.services.KafkaBroker;
import io.telemetrysuite.services.KafkaBrokerDaemon;
import io.telemetrysuite.services.PrometheusServer;
import io.telemetrysuite.services.RepoLayout;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
            ownBroker = KafkaBroker.builder().dataDir(root.resolve(".telemetry/demo/kafka")).start();
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

        PrometheusServer prometheus = startPrometheus(root);

        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(flinkConf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(8)
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
            stopped.countDown();
        }));

        GeneratorConfig generator = GeneratorJob.parseArgs(
                new String[] {"--start", "now", "--traces-per-second", Double.toString(tracesPerSecond),
                        // A visible trickle of malformed records, so the dead-letter topic has something to show.
                        "--malformed-rate", "0.01"}, System.currentTimeMillis());
        submit(web, flinkConf, env -> GeneratorJob.buildTopology(env, generator, GeneratorJob.kafkaSink(bootstrap)), GENERATOR);
        IngestPolicies policies = IngestPolicies.load(ingest);
        submit(web, flinkConf, env -> IngestJob.attachSinks(
                IngestJob.buildTopology(IngestJob.kafkaSource(env, ingest, false), ingest, policies), IngestJob.kafkaSinks(ingest), null),
                IngestJob.NAME);

        submit(web, flinkConf, env -> AggregateJob.kafkaTopology(env, new AggregateConfig(), bootstrap, ingest.topics,
                AggregateKafka.AGGREGATES_TOPIC, AggregateKafka.FORECASTS_TOPIC, AggregateKafka.DEAD_LETTER_TOPIC,
                "telemetry-aggregate", "telemetry-aggregate",
                prometheus == null ? null : prometheus.remoteWriteUrl(), root.resolve(".telemetry/archive"), false), AggregateJob.NAME);

        System.out.println("jobs: " + GENERATOR + ", " + IngestJob.NAME + ", " + AggregateJob.NAME + "  (Ctrl-C stops everything)");
        List<String> progressTopics = new java.util.ArrayList<>(ingest.topics.outputs());
        progressTopics.add(AggregateKafka.AGGREGATES_TOPIC);
        try (TopicProgress progress = new TopicProgress(bootstrap, progressTopics)) {
            long start = System.currentTimeMillis();
            while (seconds == 0 || System.currentTimeMillis() - start < seconds * 1000) {
                Thread.sleep(10_000);
                System.out.printf("[%s] %s%n", elapsed(start), progress.poll());
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
     * A real Prometheus for the aggregate job's windows (remote write) and Flink's own metrics (the
     * reporter on 9249); the demo goes on without it where the Debian package is missing.
     */
    private static PrometheusServer startPrometheus(Path root) {
        try {
            PrometheusServer prometheus = PrometheusServer.builder()
                    .dataDir(root.resolve(".telemetry/demo/prometheus"))
                    .scrapeTarget("127.0.0.1:9249")
                    .start();
            System.out.println("Prometheus: " + prometheus.url() + " (aggregates: telemetry_red_*, telemetry_workload_*, ...; Flink: flink_*)");
            return prometheus;
        } catch (RuntimeException e) {
            System.out.println("Prometheus not started (" + e.getMessage().lines().findFirst().orElse("") + "): continuing without it");
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
        TopicProgress.createTopics(bootstrap, topics);
    }

    private static String elapsed(long start) {
        long s = (System.currentTimeMillis() - start) / 1000;
        return String.format("%02d:%02d", s / 60, s % 60);
    }

}
