package io.telemetrysuite.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.services.FlinkCluster;
import io.telemetrysuite.services.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the tests against a real standalone cluster and the real broker share: running {@code ./telemetry}
 * in this JVM, waiting for a job's consumer group to commit (the Kafka source commits on a completed
 * checkpoint, so a committed offset means everything before it is in the job's checkpointed state),
 * the committed end of a topic, checkpoint counts, and keeping the cluster's logs for a failed run.
 */
final class ClusterTestSupport {
    private ClusterTestSupport() {}

    /** Runs a ./telemetry command in this JVM; returns what it printed (System.out and the command's writer), failing on a non-zero exit. */
    static String cli(String... args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream original = System.out;
        StringWriter err = new StringWriter();
        int exit;
        PrintStream captured = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        System.setOut(captured);
        try {
            picocli.CommandLine cli = TelemetryCli.commandLine();
            cli.setOut(new PrintWriter(captured, true));
            cli.setErr(new PrintWriter(err, true));
            exit = cli.execute(args);
        } finally {
            System.setOut(original);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        original.print(out);
        assertThat(exit).as("exit code of ./telemetry " + String.join(" ", args) + "; printed:\n" + out + err).isZero();
        return out;
    }

    /** The first group of {@code regex}'s first match in {@code text}; fails naming both when there is none. */
    static String group(String text, String regex) {
        return group(text, regex, 1);
    }

    /** Group {@code n} of {@code regex}'s first match in {@code text}. */
    static String group(String text, String regex, int n) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex + " in:\n" + text).isTrue();
        return m.group(n);
    }

    /**
     * Per partition of {@code topics}, the offset after its last committed record: what a job's Kafka
     * source commits once it has read everything there. Not the partition's end: a transaction's commit
     * marker takes an offset after the records, and an aborted transaction's records are skipped, so a
     * topic written by an exactly-once sink ends past the last offset a reader ever commits. First waits
     * (up to {@code wait}) until no transaction is open on the topics: an exactly-once job's commit writes
     * its markers after the commit returns, and until then its records are not visible.
     */
    static Map<TopicPartition, Long> consumedEnds(KafkaBroker kafka, Collection<String> topics, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        Map<TopicPartition, Long> stable;
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            for (var topic : admin.describeTopics(topics).allTopicNames().get().entrySet()) {
                topic.getValue().partitions().forEach(p -> latest.put(new TopicPartition(topic.getKey(), p.partition()), OffsetSpec.latest()));
            }
            while (true) {
                stable = offsets(admin, latest, IsolationLevel.READ_COMMITTED);
                Map<TopicPartition, Long> written = offsets(admin, latest, IsolationLevel.READ_UNCOMMITTED);
                if (stable.equals(written)) break;
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Transactions still open on " + topics + " after " + wait + ": stable " + stable + ", written " + written);
                }
                Thread.sleep(200);
            }
        }
        Map<TopicPartition, Long> ends = new LinkedHashMap<>();
        stable.keySet().forEach(p -> ends.put(p, 0L));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            consumer.assign(stable.keySet());
            consumer.seekToBeginning(stable.keySet());
            Map<TopicPartition, Long> stop = stable;
            while (stop.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline + Duration.ofSeconds(30).toNanos()) throw new AssertionError("Timed out reading " + topics + " up to " + stop);
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition p = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() < stop.get(p)) ends.merge(p, r.offset() + 1, Math::max);
                }
            }
        }
        return ends;
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, Map<TopicPartition, OffsetSpec> latest, IsolationLevel isolation)
            throws Exception {
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(isolation)).all().get().forEach((p, info) -> offsets.put(p, info.offset()));
        return offsets;
    }

    /**
     * Waits until consumer group {@code group} has committed at least {@code ends} on every partition
     * (partitions with nothing to read need no commit): the job has read all of it and checkpointed that.
     */
    static void awaitCommitted(KafkaBroker kafka, String group, Map<TopicPartition, Long> ends, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        Map<TopicPartition, OffsetAndMetadata> committed = Map.of();
        try (Admin admin = kafka.admin()) {
            while (System.nanoTime() < deadline) {
                committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                if (isCommitted(committed, ends)) return;
                Thread.sleep(250);
            }
        }
        throw new AssertionError("Group " + group + " committed " + committed + ", not " + ends + ", within " + wait);
    }

    private static boolean isCommitted(Map<TopicPartition, OffsetAndMetadata> committed, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(e -> e.getValue() == 0
                || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue()));
    }

    /** The ends of {@code ends} on {@code topics} only. */
    static Map<TopicPartition, Long> only(Map<TopicPartition, Long> ends, Collection<String> topics) {
        Map<TopicPartition, Long> some = new LinkedHashMap<>();
        ends.forEach((p, offset) -> {
            if (topics.contains(p.topic())) some.put(p, offset);
        });
        return some;
    }

    static long completedCheckpoints(FlinkCluster flink, String jobId) {
        return flink.getJson("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
    }

    /** How often the job was restored from a checkpoint or savepoint (failovers, and a start from a savepoint). */
    static long restores(FlinkCluster flink, String jobId) {
        return flink.getJson("/jobs/" + jobId + "/checkpoints").path("counts").path("restored").asLong();
    }

    /** Waits for {@code more} checkpoints of the job to complete after now. */
    static void awaitCheckpoints(FlinkCluster flink, String jobId, int more, Duration wait) throws InterruptedException {
        long start = completedCheckpoints(flink, jobId);
        long deadline = System.nanoTime() + wait.toNanos();
        while (completedCheckpoints(flink, jobId) < start + more) {
            if (System.nanoTime() > deadline) throw new AssertionError("No " + more + " more checkpoints of " + jobId + " within " + wait);
            Thread.sleep(500);
        }
    }

    /** Copies the cluster's logs to {@code target/cluster-logs/<test>}: they outlive the test's temporary directory. */
    static void keepLogs(FlinkCluster flink, Class<?> test) throws IOException {
        Path logs = Path.of("target", "cluster-logs", test.getSimpleName());
        Files.createDirectories(logs);
        try (var files = Files.list(flink.logDir())) {
            for (Path f : files.toList()) Files.copy(f, logs.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
