package io.telemetrysuite.traces;

import static io.telemetrysuite.testing.OtlpFixtures.BASE_EPOCH_NANOS;
import static io.telemetrysuite.traces.SdkTraces.MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.ingest.IngestJob;
import io.telemetrysuite.ingest.IngestTopics;
import io.telemetrysuite.json.EventJson;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.Trace;
import io.telemetrysuite.services.KafkaBroker;
import io.telemetrysuite.services.junit.KafkaBrokerExtension;
import io.telemetrysuite.testing.OtlpFixtures;
import io.telemetrysuite.traces.archive.TraceArchive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The trace job between real Kafka topics, exactly once, and its Parquet archive read back. */
@ExtendWith(KafkaBrokerExtension.class)
class TraceKafkaTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @Test
    void spansTopicInKeptTracesSummariesAndArchiveOut(KafkaBroker broker, @TempDir Path archive) throws Exception {
        String run = "tr" + System.nanoTime() % 1_000_000 + "-";
        IngestTopics topics = new IngestTopics().withPrefix(run);
        String tracesTopic = run + "traces";
        String summariesTopic = run + "trace-summaries";
        Map<String, Integer> create = new LinkedHashMap<>();
        create.put(topics.spans, 2);
        create.put(tracesTopic, 2);
        create.put(summariesTopic, 2);
        broker.createTopics(create);

        List<String> errorTraces = new ArrayList<>();
        int keptSpans = 0;
        try (KafkaProducer<byte[], byte[]> producer = producer(broker)) {
            for (int n = 1; n <= 12; n++) {
                boolean fails = n % 4 == 0;
                List<Span> trace = SdkTraces.checkout(n, BASE_EPOCH_NANOS + n * 200 * MS, fails);
                if (fails) {
                    errorTraces.add(OtlpFixtures.traceId(n));
                    keptSpans += trace.size();
                }
                for (Span span : trace) {
                    producer.send(new ProducerRecord<>(topics.spans, span.traceId.getBytes(StandardCharsets.UTF_8), EventJson.toBytes(span)));
                }
            }
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(IngestJob.baseConfiguration());
        env.setParallelism(2);
        env.enableCheckpointing(500);
        TraceJob.kafkaTopology(env, TraceJobTest.config(), broker.bootstrapServers(), topics, tracesTopic, summariesTopic,
                run + "group", run + "tx", archive, null, true);
        env.execute("traces kafka test");

        List<Trace> kept = readCommitted(broker, tracesTopic);
        assertThat(kept).extracting(t -> t.traceId).containsExactlyInAnyOrderElementsOf(errorTraces);
        assertThat(kept).allSatisfy(t -> {
            assertThat(t.spans).hasSize(6);
            assertThat(t.spanCount).isEqualTo(6);
            assertThat(t.policy).isEqualTo("errors");
        });
        List<Trace> summaries = readCommitted(broker, summariesTopic);
        assertThat(summaries).hasSize(12).allSatisfy(t -> assertThat(t.spans).isEmpty());
        assertThat(summaries).extracting(t -> t.traceId).doesNotHaveDuplicates();
        assertThat(summaries).filteredOn(t -> t.sampled).hasSize(3);

        List<Path> parts;
        try (Stream<Path> files = Files.walk(archive)) {
            parts = files.filter(f -> f.getFileName().toString().startsWith(TraceArchive.PART_PREFIX)).toList();
        }
        List<GenericRecord> rows = new ArrayList<>();
        for (Path part : parts) {
            // 2026-01-01T00:00Z plus a few seconds: every trace starts in the first hour of the year.
            assertThat(archive.relativize(part).toString()).startsWith("date=2026-01-01/hour=00/");
            rows.addAll(read(part));
        }
        assertThat(rows).hasSize(keptSpans);
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.get("sampled")).isEqualTo(true);
            assertThat(r.get("policy").toString()).isEqualTo("errors");
            assertThat(errorTraces).contains(r.get("traceId").toString());
        });
        assertThat(rows.stream().map(r -> r.get("traceId") + "/" + r.get("spanId")).distinct().count()).isEqualTo(keptSpans);
    }

    static List<GenericRecord> read(Path file) throws IOException {
        List<GenericRecord> records = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file))
                .withDataModel(GenericData.get()).build()) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) records.add(r);
        }
        return records;
    }

    static KafkaProducer<byte[], byte[]> producer(KafkaBroker broker) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    static List<Trace> readCommitted(KafkaBroker broker, String topic) throws IOException {
        List<Trace> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : broker.readCommitted(topic, Duration.ofSeconds(60))) {
            out.add(EventJson.fromBytes(record.value(), Trace.class));
        }
        return out;
    }
}
