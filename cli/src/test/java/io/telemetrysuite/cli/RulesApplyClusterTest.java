package io.telemetrysuite.cli;

import static io.telemetrysuite.cli.ClusterTestSupport.awaitCheckpoints;
import static io.telemetrysuite.cli.ClusterTestSupport.cli;
import static io.telemetrysuite.cli.ClusterTestSupport.group;
import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.cli.cluster.CepRulesArg;
import io.telemetrysuite.cli.cluster.ClusterJob;
import io.telemetrysuite.cli.cluster.FlinkRest;
import io.telemetrysuite.cli.cluster.JobLifecycle;
import io.telemetrysuite.json.EventJson;
import io.telemetrysuite.model.Alert;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.services.FlinkCluster;
import io.telemetrysuite.services.KafkaBroker;
import io.telemetrysuite.services.RepoLayout;
import io.telemetrysuite.services.junit.KafkaBrokerExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./telemetry rules apply} on a real standalone Flink cluster with the CEP job's fat jar and the
 * real Kafka broker. A threshold rule is half-way through its 60 s {@code for} when the rules change
 * (a count rule removed, another added, a second threshold's {@code for} edited, the first untouched):
 * the untouched threshold still fires at exactly the event time it would have without the restart,
 * which it can only do from the savepoint's state, since the restored job does not read the first
 * half's events again; the removed rule never fires; the added and the edited rule see only events
 * after the change. An invalid folder is refused before the job is touched.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RulesApplyClusterTest {
    private static final Duration WAIT = Duration.ofMinutes(3);
    /** CepJob.main reads ingest's default topics and writes the default alerts topic under its default consumer group. */
    private static final String SYSTEM = "ingest-system";
    private static final String ALERTS = "alerts";
    private static final String GROUP = "telemetry-cep";
    private static final long T0 = 1_790_000_000_000L;
    /** Only this test's events match its rules, should another test share the broker's default topics. */
    private static final String HOST = "apply-" + System.nanoTime() % 100000;

    @TempDir
    static Path dir;

    private static FlinkCluster flink;
    private static FlinkRest rest;
    private static KafkaBroker kafka;
    private static int produced;

    @BeforeAll
    static void start(KafkaBroker broker) {
        kafka = broker;
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (String t : List.of("ingest-spans", "ingest-metrics", "ingest-logs", "ingest-workload", SYSTEM, "ingest-inference", "aggregates", ALERTS)) {
            topics.put(t, 1);
        }
        broker.createTopics(topics);
        flink = FlinkCluster.builder()
                .stateDir(dir.resolve("cluster"))
                .taskManagers(1)
                .setting("jobmanager.memory.process.size", "1024m")
                .setting("taskmanager.memory.process.size", "1536m")
                .setting("taskmanager.numberOfTaskSlots", "2")
                .setting("parallelism.default", "1")
                .start();
        rest = new FlinkRest(flink.restUrl());
    }

    @AfterAll
    static void stop() {
        if (flink != null) flink.stop();
    }

    @Test
    void unchangedRulesKeepTheirStateRemovedOnesStopAndAddedOnesStartEmpty() throws Exception {
        Path before = Files.createDirectories(dir.resolve("before"));
        Files.writeString(before.resolve("hot.yaml"), HOT);
        Files.writeString(before.resolve("burst.yaml"), rule("apply-burst", 8));
        Files.writeString(before.resolve("warm.yaml"), warm("60s"));
        Path after = Files.createDirectories(dir.resolve("after"));
        Files.writeString(after.resolve("hot.yaml"), HOT);
        Files.writeString(after.resolve("fresh.yaml"), rule("apply-fresh", 10));
        Files.writeString(after.resolve("warm.yaml"), warm("40s"));
        Path invalid = Files.createDirectories(dir.resolve("invalid"));
        Files.writeString(invalid.resolve("hot.yaml"), HOT);
        Files.writeString(invalid.resolve("fresh.yaml"), rule("apply-fresh", 0));

        String submitted = cli("submit", "cep", "--rest", flink.restUrl(), "--", "--bootstrap-servers", kafka.bootstrapServers(),
                "--rules", before.toString());
        String jobId = group(submitted, "Submitted telemetry-cep: job id (\\w+)");
        rest.awaitState(jobId, "RUNNING", WAIT);
        Path snapshot = Path.of(CepRulesArg.of(new JobLifecycle(rest).running(ClusterJob.CEP).args()).orElseThrow());
        assertThat(snapshot).as("the job runs on a frozen copy, not on the folder given").isNotEqualTo(before)
                .startsWith(RepoLayout.root().resolve(".telemetry/rules"));
        assertThat(Files.readString(snapshot.resolve("burst.yaml"))).isEqualTo(rule("apply-burst", 8));

        // First half: 95 % CPU from T0 to T0+30s, every 5 s: the threshold holds for 30 s of its 60, the count has 7 of 8.
        for (long s = 0; s <= 30; s += 5) produce(HOST, s, 95);
        // A checkpoint that covers every first-half event: from here on they live in the job's state, not ahead of its offsets.
        awaitCommittedOffset(produced);
        assertThat(ours()).isEmpty();

        CliResult refused = cliFailing("rules", "apply", invalid.toString(), "--rest", flink.restUrl());
        assertThat(refused.err()).contains(invalid.resolve("fresh.yaml") + ":").contains(": rules[0].count: expected a positive integer")
                .contains("1 problem in 1 file").contains("Nothing applied: the running telemetry-cep job is not touched.");
        assertThat(refused.out()).isEmpty();
        assertThat(rest.runningJob("telemetry-cep").orElseThrow().id()).isEqualTo(jobId);
        assertThat(rest.state(jobId)).isEqualTo("RUNNING");

        String applied = cli("rules", "apply", after.toString(), "--rest", flink.restUrl());
        assertThat(applied).contains("telemetry-cep (" + jobId + ") runs the rules of " + snapshot + "\n"
                + "Changes in " + after + ":\n"
                + "  added:    apply-fresh\n"
                + "  removed:  apply-burst\n"
                + "  modified: apply-warm (for)\n"
                + "  kept:     apply-hot\n");
        String newJob = group(applied, "Resumed telemetry-cep on (\\S+): job id (\\w+)", 2);
        Path newSnapshot = Path.of(group(applied, "Resumed telemetry-cep on (\\S+): job id", 1));
        assertThat(newSnapshot).isNotEqualTo(snapshot).startsWith(snapshot.getParent());
        assertThat(applied).contains("Stopped telemetry-cep with savepoint file:");
        assertThat(rest.state(jobId)).isEqualTo("FINISHED");
        rest.awaitState(newJob, "RUNNING", WAIT);
        List<String> args = new JobLifecycle(rest).running(ClusterJob.CEP).args();
        assertThat(CepRulesArg.of(args)).contains(newSnapshot.toString());
        assertThat(args).as("the job's other arguments are kept").containsSequence("--bootstrap-servers", kafka.bootstrapServers());

        // Second half: T0+35s to T0+80s; then another host's sample moves event time past all of it.
        for (long s = 35; s <= 80; s += 5) produce(HOST, s, 95);
        produce("apply-elsewhere", 200, 10);

        List<String> expected = List.of(
                // Held since T0 (from the savepoint), fired on the first sample 60 s later: as without the restart.
                "apply-hot firing startsAt=0 eventTime=60",
                // Ten samples after the change, not the ten from T0 (which would fire at T0+45s).
                "apply-fresh firing startsAt=35 eventTime=80",
                // Modified (for 60s -> 40s): starts empty at T0+35s; from the old state it would fire at T0+40s.
                "apply-warm firing startsAt=35 eventTime=75");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (ours().size() < expected.size() && System.nanoTime() < deadline) Thread.sleep(1000);
        // Whatever the last events could still cause is committed two checkpoints after every input was read.
        awaitCommittedOffset(produced);
        awaitCheckpoints(flink, newJob, 2, WAIT);
        assertThat(ours()).containsExactlyInAnyOrderElementsOf(expected);

        // The same folder again: nothing to do, the job keeps running.
        String again = cli("rules", "apply", after.toString(), "--rest", flink.restUrl());
        assertThat(again).contains("  added:    -\n  removed:  -\n  modified: -\n  kept:     apply-fresh, apply-hot, apply-warm\n")
                .contains("No rule changed: telemetry-cep keeps running as " + newJob + ".");
        assertThat(rest.runningJob("telemetry-cep").orElseThrow().id()).isEqualTo(newJob);
    }

    private static final String HOT = """
            rules:
              - id: apply-hot
                kind: threshold
                severity: warning
                match: {signal: system}
                by: [host]
                condition: {field: cpuPercent, op: ">", value: 90}
                for: 60s
            """;

    private static String warm(String forDuration) {
        return "rules:\n  - {id: apply-warm, kind: threshold, severity: info, match: {signal: system, host: " + HOST + "}, by: [host],"
                + " condition: {field: cpuPercent, op: \">\", value: 80}, for: " + forDuration + "}\n";
    }

    private static String rule(String id, int count) {
        return "rules:\n  - {id: " + id + ", kind: count, severity: info, match: {signal: system, host: " + HOST + "}, by: [host], count: "
                + count + ", within: 2m}\n";
    }

    /** This test's alerts, committed, as {@code rule status startsAt=<s after T0> eventTime=<s after T0>}. */
    private static List<String> ours() throws Exception {
        List<String> alerts = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readCommitted(ALERTS, Duration.ofSeconds(30))) {
            Alert a = EventJson.fromBytes(r.value(), Alert.class);
            if (!HOST.equals(a.labels.get("host"))) continue;
            alerts.add(a.ruleId + " " + a.status + " startsAt=" + seconds(a.startsAt) + " eventTime=" + seconds(a.eventTime));
        }
        return alerts;
    }

    /** Seconds after T0, as {@code 60} or {@code 60.001} (a millisecond off must show). */
    private static String seconds(long millis) {
        return java.math.BigDecimal.valueOf(millis - T0, 3).stripTrailingZeros().toPlainString();
    }

    private static void produce(String host, long secondsAfterT0, double cpu) {
        SystemSample sample = new SystemSample();
        sample.timestampMillis = T0 + secondsAfterT0 * 1000;
        sample.host = host;
        sample.cpuPercentPerCore = new double[] {cpu};
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(SYSTEM, EventJson.toBytes(sample)));
        }
        produced++;
    }

    /**
     * Waits until the CEP job's consumer group has committed {@code offset} on the system topic: the Kafka
     * source commits on a completed checkpoint, so every record before it has reached the job's state.
     */
    private static void awaitCommittedOffset(long offset) throws Exception {
        TopicPartition partition = new TopicPartition(SYSTEM, 0);
        long deadline = System.nanoTime() + WAIT.toNanos();
        long committed = -1;
        try (Admin admin = kafka.admin()) {
            while (System.nanoTime() < deadline) {
                OffsetAndMetadata o = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get().get(partition);
                committed = o == null ? -1 : o.offset();
                if (committed >= offset) return;
                Thread.sleep(500);
            }
        }
        throw new AssertionError("The CEP job committed offset " + committed + " on " + SYSTEM + ", not " + offset + ", within " + WAIT);
    }

    private record CliResult(String out, String err) {}

    /** Runs a ./telemetry command expected to exit 2; returns what it printed. */
    private static CliResult cliFailing(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = TelemetryCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        assertThat(exit).as("exit code of ./telemetry " + String.join(" ", args) + "; stderr:\n" + err).isEqualTo(2);
        return new CliResult(out.toString(), err.toString());
    }
}
