package io.telemetrysuite.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import io.telemetrysuite.json.EventJson;
import io.telemetrysuite.model.DeadLetter;
import io.telemetrysuite.model.DeadLetterReason;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.services.KafkaBroker;
import io.telemetrysuite.services.junit.KafkaBrokerExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ingest job between a real Kafka broker's topics, exactly once, at parallelism 2. */
@ExtendWith(KafkaBrokerExtension.class)
class IngestKafkaEndToEndTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    private static final int REQUESTS = 40;
    private static final int SPANS_PER_REQUEST = 25;

    @Test
    void everyOutputTopicHoldsExactlyTheExpectedRecordsReadCommitted(KafkaBroker broker) throws Exception {
        IngestConfig config = new IngestConfig();
        config.bootstrapServers = broker.bootstrapServers();
        config.consumerGroup = "e2e-" + System.nanoTime();
        config.transactionalIdPrefix = "e2e-" + System.nanoTime();
        config.topics = new IngestTopics().withPrefix("e2e" + System.nanoTime() % 100000 + "-");
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (String topic : config.topics.inputs()) topics.put(topic, 2);
        for (String topic : config.topics.outputs()) topics.put(topic, 2);
        broker.createTopics(topics);

        long now = System.currentTimeMillis() * 1_000_000L;
        Random random = new Random(7);
        int validSpans = 0;
        try (KafkaProducer<byte[], byte[]> producer = producer(broker)) {
            for (int r = 0; r < REQUESTS; r++) {
                ExportTraceServiceRequest request = request(random, now, SPANS_PER_REQUEST, r % 10 == 0);
                validSpans += SPANS_PER_REQUEST - (r % 10 == 0 ? 1 : 0);
                producer.send(new ProducerRecord<>(config.topics.otlpSpans, request.toByteArray()));
            }
            // Three records that cannot be decoded at all, and two suite records (one missing its tenant).
            producer.send(new ProducerRecord<>(config.topics.otlpSpans, truncate(request(random, now, 5, false).toByteArray())));
            producer.send(new ProducerRecord<>(config.topics.otlpSpans, "{not json".getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(config.topics.records, "{\"signal\":\"nope\"}".getBytes(StandardCharsets.UTF_8)));
            long ms = System.currentTimeMillis();
            producer.send(new ProducerRecord<>(config.topics.records, ("{\"signal\":\"workload\",\"timestampMillis\":" + ms
                    + ",\"tenant\":\"acme\",\"requestId\":\"r1\",\"route\":\"/chat\",\"method\":\"POST\",\"statusCode\":200,\"durationMs\":12.5}")
                    .getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(config.topics.records, ("{\"signal\":\"workload\",\"timestampMillis\":" + ms
                    + ",\"requestId\":\"r2\"}").getBytes(StandardCharsets.UTF_8)));
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(IngestJob.baseConfiguration());
        env.setParallelism(2);
        env.enableCheckpointing(500);
        IngestPolicies policies = IngestPolicies.load(config);
        IngestJob.attachSinks(IngestJob.buildTopology(IngestJob.kafkaSource(env, config, true), config, policies),
                IngestJob.kafkaSinks(config), null);
        Map<String, Object> counters = IngestRun.counters(env.execute("ingest e2e").getAllAccumulatorResults());

        List<Span> spans = readCommitted(broker, config.topics.spans, Span.class);
        List<DeadLetter> deadLetters = readCommitted(broker, config.topics.deadLetter, DeadLetter.class);
        assertThat(spans).hasSize(validSpans);
        assertThat(spans).extracting(s -> s.spanId).doesNotHaveDuplicates();
        assertThat(readCommitted(broker, config.topics.workload, Object.class)).hasSize(1);
        assertThat(readCommitted(broker, config.topics.metrics, Object.class)).isEmpty();

        Map<String, Integer> reasons = new HashMap<>();
        for (DeadLetter d : deadLetters) reasons.merge(d.reason, 1, Integer::sum);
        assertThat(reasons).containsExactlyInAnyOrderEntriesOf(Map.of(
                DeadLetterReason.INVALID_SPAN_ID, REQUESTS / 10,
                DeadLetterReason.UNDECODABLE_PROTOBUF, 1,
                DeadLetterReason.INVALID_JSON, 1,
                DeadLetterReason.WRONG_SHAPE, 1,
                DeadLetterReason.MISSING_REQUIRED_FIELD, 1));
        assertThat(deadLetters).allSatisfy(d -> assertThat(d.source).startsWith("e2e"));

        long received = (long) counters.get("received");
        assertThat(received).isEqualTo(validSpans + REQUESTS / 10 + 3 + 2);
        assertThat((long) counters.get("accepted")).isEqualTo(validSpans + 1);
        assertThat((long) counters.get("deadLettered")).isEqualTo(deadLetters.size());
        assertThat(received).isEqualTo((long) counters.get("accepted") + (long) counters.get("sampledOut") + (long) counters.get("deadLettered"));
    }

    /** One export request of {@code spans} spans in one trace; with {@code oneBadSpanId}, its last span has a 4-byte id. */
    private static ExportTraceServiceRequest request(Random random, long nowNanos, int spans, boolean oneBadSpanId) {
        byte[] traceId = new byte[16];
        random.nextBytes(traceId);
        traceId[0] |= 1;
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (int i = 0; i < spans; i++) {
            byte[] spanId = new byte[oneBadSpanId && i == spans - 1 ? 4 : 8];
            random.nextBytes(spanId);
            spanId[0] |= 1;
            scope.addSpans(io.opentelemetry.proto.trace.v1.Span.newBuilder()
                    .setTraceId(ByteString.copyFrom(traceId))
                    .setSpanId(ByteString.copyFrom(spanId))
                    .setName("GET /items")
                    .setKind(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER)
                    .setStartTimeUnixNano(nowNanos - 5_000_000L)
                    .setEndTimeUnixNano(nowNanos)
                    .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK))
                    .addAttributes(kv("http.request.method", "GET")));
        }
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(Resource.newBuilder().addAttributes(kv("service.name", "catalog")))
                        .addScopeSpans(scope))
                .build();
    }

    private static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    /** Cut inside the first span so the bytes cannot decode. */
    private static byte[] truncate(byte[] bytes) {
        byte[] cut = new byte[bytes.length / 2];
        System.arraycopy(bytes, 0, cut, 0, cut.length);
        return cut;
    }

    static KafkaProducer<byte[], byte[]> producer(KafkaBroker broker) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    static <T> List<T> readCommitted(KafkaBroker broker, String topic, Class<T> type) throws IOException {
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : broker.readCommitted(topic, Duration.ofSeconds(60))) {
            out.add(EventJson.fromBytes(record.value(), type));
        }
        return out;
    }
}
