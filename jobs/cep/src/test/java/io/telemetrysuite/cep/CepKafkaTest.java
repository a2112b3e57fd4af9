package io.telemetrysuite.cep;

import static io.telemetrysuite.cep.CepFixtures.condition;
import static io.telemetrysuite.cep.CepFixtures.match;
import static io.telemetrysuite.cep.CepFixtures.rule;
import static io.telemetrysuite.cep.CepFixtures.seconds;
import static io.telemetrysuite.cep.CepFixtures.system;
import static io.telemetrysuite.cep.CepFixtures.view;
import static io.telemetrysuite.cep.CepFixtures.workload;
import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.cep.rule.Rule;
import io.telemetrysuite.cep.rule.RuleKind;
import io.telemetrysuite.cep.rule.Signal;
import io.telemetrysuite.ingest.IngestJob;
import io.telemetrysuite.ingest.IngestTopics;
import io.telemetrysuite.json.EventJson;
import io.telemetrysuite.model.Alert;
import io.telemetrysuite.services.KafkaBroker;
import io.telemetrysuite.services.junit.KafkaBrokerExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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

/** The CEP job between real Kafka topics: ingest's committed events in, the exact alerts in the alerts topic, exactly once. */
@ExtendWith(KafkaBrokerExtension.class)
class CepKafkaTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @Test
    void ingestTopicsInExactAlertsInTheAlertsTopicReadCommitted(KafkaBroker broker) throws Exception {
        String run = "cep" + System.nanoTime() % 1_000_000 + "-";
        IngestTopics topics = new IngestTopics().withPrefix(run);
        CepConfig config = new CepConfig();
        config.alertsTopic = run + "alerts";
        config.consumerGroup = run + "group";
        config.transactionalIdPrefix = run + "tx";
        Map<String, Integer> create = new LinkedHashMap<>();
        topics.outputs().forEach(t -> create.put(t, 2));
        create.put(run + "aggregates", 2);
        create.put(config.alertsTopic, 2);
        broker.createTopics(create);

        Rule cpu = rule("cpu-high", RuleKind.THRESHOLD, match(Signal.SYSTEM), "host");
        cpu.condition = condition("cpuPercent", ">", 80.0);
        cpu.forDuration = seconds(30);
        Rule burst = rule("error-burst", RuleKind.COUNT, match(Signal.WORKLOAD, "status", "error"), "service.name");
        burst.count = 3;
        burst.within = seconds(10);
        try (KafkaProducer<byte[], byte[]> producer = producer(broker)) {
            for (long s = 0; s <= 120; s += 10) {
                producer.send(new ProducerRecord<>(topics.system, EventJson.toBytes(system("h1", s, s >= 40 && s <= 90 ? 95 : 20))));
                producer.send(new ProducerRecord<>(topics.system, EventJson.toBytes(system("h2", s, 20))));
            }
            for (long ms : new long[] {1_000, 4_000, 8_000, 30_000, 50_000}) {
                producer.send(new ProducerRecord<>(topics.workload, EventJson.toBytes(workload("u", "/payment", 500, ms, 10))));
            }
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(IngestJob.baseConfiguration());
        env.setParallelism(2);
        env.enableCheckpointing(500);
        CepJob.kafkaTopology(env, broker.bootstrapServers(), topics, run + "aggregates", List.of(cpu, burst), config, null, true);
        env.execute("cep kafka test");

        assertThat(view(readCommitted(broker, config.alertsTopic))).containsExactly(
                "cpu-high firing {host=h1} +70s",
                "cpu-high resolved {host=h1} +100s",
                "error-burst firing {service.name=payment} +8s");
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaBroker broker) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    static List<Alert> readCommitted(KafkaBroker broker, String topic) throws IOException {
        List<Alert> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : broker.readCommitted(topic, Duration.ofSeconds(60))) {
            out.add(EventJson.fromBytes(record.value(), Alert.class));
        }
        return out;
    }
}
