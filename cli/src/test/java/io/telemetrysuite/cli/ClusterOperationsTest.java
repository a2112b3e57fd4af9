package io.telemetrysuite.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.cli.cluster.FlinkRest;
import io.telemetrysuite.json.EventJson;
import io.telemetrysuite.model.WorkloadRecord;
import io.telemetrysuite.services.FlinkCluster;
import io.telemetrysuite.services.KafkaBroker;
import io.telemetrysuite.services.junit.KafkaBrokerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster commands against a real standalone Flink cluster (a JobManager and two TaskManagers as
 * processes) and the real Kafka broker: the ingest job's fat jar is submitted, savepointed, upgraded,
 * rescaled from 1 to 2, and survives a SIGKILLed TaskManager; after each step the committed
 * ({@code read_committed}) output holds exactly one record per input record, none lost, none twice.
 *
 * <p>The steps share one cluster and one job, in order: each starts from the state the previous left.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterOperationsTest {
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final String PREFIX = "cluster" + System.nanoTime() % 100000 + "-";
    private static final String RECORDS = PREFIX + "telemetry_records";
    private static final String WORKLOAD = PREFIX + "ingest-workload";

    @TempDir
    static Path dir;

    private static FlinkCluster flink;
    private static FlinkRest rest;
    private static KafkaBroker kafka;
    private static Path config;
    private static int produced;

    @BeforeAll
    static void startCluster(KafkaBroker broker) throws Exception {
        kafka = broker;
        Map<String, Integer> topics = new java.util.LinkedHashMap<>();
        for (String t : List.of("otlp_spans", "otlp_metrics", "otlp_logs", "telemetry_records", "ingest-spans", "ingest-metrics", "ingest-logs",
                "ingest-workload", "ingest-system", "ingest-inference", "ingest-dead-letter")) {
            topics.put(PREFIX + t, 2);
        }
        broker.createTopics(topics);
        config = dir.resolve("ingest.yaml");
        Files.writeString(config, String.join("\n",
                "bootstrapServers: " + broker.bootstrapServers(),
                "consumerGroup: " + PREFIX + "ingest",
                "transactionalIdPrefix: " + PREFIX + "ingest",
                // Short, so committed output shows up within a second or two of the input.
                "checkpointInterval: 1s",
                "topics:",
                "  otlpSpans: " + PREFIX + "otlp_spans",
                "  otlpMetrics: " + PREFIX + "otlp_metrics",
                "  otlpLogs: " + PREFIX + "otlp_logs",
                "  records: " + RECORDS,
                "  spans: " + PREFIX + "ingest-spans",
                "  metrics: " + PREFIX + "ingest-metrics",
                "  logs: " + PREFIX + "ingest-logs",
                "  workload: " + WORKLOAD,
                "  system: " + PREFIX + "ingest-system",
                "  inference: " + PREFIX + "ingest-inference",
                "  deadLetter: " + PREFIX + "ingest-dead-letter",
                ""));
        flink = FlinkCluster.builder()
                .stateDir(dir.resolve("cluster"))
                .taskManagers(2)
                .setting("jobmanager.memory.process.size", "1024m")
                .setting("taskmanager.memory.process.size", "1536m")
                .setting("taskmanager.numberOfTaskSlots", "2")
                .setting("parallelism.default", "1")
                // A killed TaskManager is noticed in seconds, not the default 50 s.
                .setting("heartbeat.interval", "2000")
                .setting("heartbeat.timeout", "8000")
                .start();
        rest = new FlinkRest(flink.restUrl());
    }

    @AfterAll
    static void stopCluster() {
        if (flink != null) flink.stop();
    }

    @Test
    @Order(1)
    void submitRunsTheJobJarAndItsOutputIsExactlyTheInput() throws Exception {
        produce(200);
        String out = cli("submit", "ingest", "--rest", flink.restUrl(), "--", "--config", config.toString());
        String jobId = group(out, "Submitted telemetry-ingest: job id (\\w+)");
        rest.awaitState(jobId, "RUNNING", WAIT);
        assertThat(cli("jobs", "--rest", flink.restUrl())).contains("telemetry-ingest").contains(jobId).contains("RUNNING");
        awaitExactlyTheInput();
    }

    @Test
    @Order(2)
    void savepointKeepsTheJobRunning() throws Exception {
        String out = cli("savepoint", "ingest", "--rest", flink.restUrl());
        Path savepoint = Path.of(java.net.URI.create(group(out, "\\): (file:\\S+)")));
        assertThat(savepoint).startsWith(flink.savepointsDir());
        assertThat(savepoint.resolve("_metadata")).exists();
        produce(100);
        awaitExactlyTheInput();
    }

    @Test
    @Order(3)
    void upgradeResumesFromTheSavepointWithoutLossOrDuplicates() throws Exception {
        String before = rest.runningJob("telemetry-ingest").orElseThrow().id();
        produce(150);
        String out = cli("upgrade", "ingest", "--rest", flink.restUrl());
        String jobId = group(out, "Upgraded telemetry-ingest: job id (\\w+)");
        assertThat(jobId).isNotEqualTo(before);
        assertThat(rest.state(before)).isEqualTo("FINISHED");
        rest.awaitState(jobId, "RUNNING", WAIT);
        produce(150);
        awaitExactlyTheInput();
    }

    @Test
    @Order(4)
    void rescaleFromOneToTwoKeepsEveryRecordOnce() throws Exception {
        assertThat(rest.jobConfig(rest.runningJob("telemetry-ingest").orElseThrow().id()).path("execution-config").path("job-parallelism").asInt())
                .isEqualTo(1);
        produce(150);
        String out = cli("rescale", "ingest", "2", "--rest", flink.restUrl());
        String jobId = group(out, "Rescaled telemetry-ingest to parallelism 2: job id (\\w+)");
        rest.awaitState(jobId, "RUNNING", WAIT);
        assertThat(rest.jobConfig(jobId).path("execution-config").path("job-parallelism").asInt()).isEqualTo(2);
        produce(150);
        awaitExactlyTheInput();
    }

    @Test
    @Order(5)
    void aKilledTaskManagerIsReplacedAndNothingIsLostOrDuplicated() throws Exception {
        String jobId = rest.runningJob("telemetry-ingest").orElseThrow().id();
        awaitExactlyTheInput();
        // Mid-run: input arriving before, during and after the crash.
        produce(300);
        int busy = busyTaskManager();
        flink.killTaskManager(busy);
        produce(300);
        flink.startTaskManager();
        produce(300);
        // The same job restarts from its last completed checkpoint; the transactions it had open are aborted.
        rest.awaitState(jobId, "RUNNING", WAIT);
        awaitExactlyTheInput();
        assertThat(rest.runningJob("telemetry-ingest").orElseThrow().id()).isEqualTo(jobId);
        assertThat(flink.getJson("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries").size())
                .as("the job failed over when its TaskManager died").isPositive();
    }

    @Test
    @Order(6)
    void commandsOnAJobThatDoesNotRunSayHowToStartIt() {
        CliResult result = cliFailing("savepoint", "aggregate", "--rest", flink.restUrl());
        assertThat(result.err()).contains("Job telemetry-aggregate is not running on " + flink.restUrl())
                .contains("`./telemetry submit aggregate` starts it");
        assertThat(cliFailing("submit", "ingest", "--rest", flink.restUrl()).err())
                .contains("Job telemetry-ingest already runs as").contains("./telemetry upgrade ingest");
    }

    @Test
    @Order(7)
    void commandsWithoutAClusterSayHowToStartOne() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        assertThat(cliFailing("jobs", "--rest", "http://127.0.0.1:" + closedPort).err())
                .contains("No Flink cluster answers at http://127.0.0.1:" + closedPort + ". Start one with `./telemetry cluster start`.");
        assertThat(cliFailing("submit", "nope", "--rest", flink.restUrl()).err()).contains("Unknown job 'nope'; known: ingest, aggregate, cep, traces");
    }

    private record CliResult(int exit, String err) {}

    /** Runs a ./telemetry command expected to fail with exit code 2; returns what it printed on stderr. */
    private static CliResult cliFailing(String... args) {
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = TelemetryCli.commandLine();
        cli.setErr(new java.io.PrintWriter(err, true));
        int exit = cli.execute(args);
        assertThat(exit).as("exit code of ./telemetry " + String.join(" ", args) + "; stderr:\n" + err).isEqualTo(2);
        return new CliResult(exit, err.toString());
    }

    /** The index of a live TaskManager that runs tasks of the job (has a slot in use). */
    private static int busyTaskManager() {
        List<ProcessHandle> tms = flink.taskManagers();
        for (var tm : flink.getJson("/taskmanagers").path("taskmanagers")) {
            if (tm.path("freeSlots").asInt() < tm.path("slotsNumber").asInt()) {
                String id = tm.path("id").asText();
                int index = Integer.parseInt(id.substring(id.lastIndexOf('-') + 1));
                if (tms.get(index).isAlive()) return index;
            }
        }
        throw new AssertionError("No TaskManager runs tasks: " + flink.getJson("/taskmanagers"));
    }

    /** Workload records with request ids {@code r<n>}, numbered on from the last batch. */
    private static void produce(int count) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        long ms = System.currentTimeMillis();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (int i = produced; i < produced + count; i++) {
                String json = "{\"signal\":\"workload\",\"timestampMillis\":" + ms + ",\"tenant\":\"t" + (i % 7) + "\",\"requestId\":\"r" + i
                        + "\",\"route\":\"/chat\",\"method\":\"POST\",\"statusCode\":200,\"durationMs\":12.5}";
                producer.send(new ProducerRecord<>(RECORDS, ("k" + i).getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8)));
            }
        }
        produced += count;
    }

    /** Waits until the committed output has as many records as were produced, then checks it is exactly r0..r(n-1). */
    private static void awaitExactlyTheInput() throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> ids = readCommittedRequestIds();
        while (ids.size() < produced && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            ids = readCommittedRequestIds();
        }
        Set<String> expected = new HashSet<>();
        IntStream.range(0, produced).forEach(i -> expected.add("r" + i));
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(new HashSet<>(ids)).isEqualTo(expected);
    }

    private static List<String> readCommittedRequestIds() throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<String> ids = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(WORKLOAD).forEach(p -> partitions.add(new TopicPartition(WORKLOAD, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // read_committed end offsets: the last stable offset, so open transactions are not waited for.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 30_000;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    ids.add(EventJson.fromBytes(record.value(), WorkloadRecord.class).requestId);
                }
            }
        }
        return ids;
    }

    /** Runs a ./telemetry command in this JVM; returns what it printed, failing on a non-zero exit. */
    private static String cli(String... args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            exit = TelemetryCli.commandLine().execute(args);
        } finally {
            System.setOut(original);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        original.print(out);
        assertThat(exit).as("exit code of ./telemetry " + String.join(" ", args) + "; printed:\n" + out).isZero();
        return out;
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex + " in:\n" + text).isTrue();
        return m.group(1);
    }
}
