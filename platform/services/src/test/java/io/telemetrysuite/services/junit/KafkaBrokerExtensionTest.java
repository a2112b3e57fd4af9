package io.telemetrysuite.services.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telemetrysuite.services.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Transactions against the real broker: what Flink's exactly-once Kafka sink relies on. */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaBrokerExtensionTest {

    @Test
    void committedTransactionIsReadBackExactlyOnce(KafkaBroker kafka) {
        String topic = "tx-committed";
        kafka.createTopics(Map.of(topic, 2));

        try (KafkaProducer<String, String> producer = transactionalProducer(kafka)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 100; i++) producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i));
            producer.commitTransaction();
        }

        List<String> values = readAll(kafka, topic, "read_committed");
        assertThat(values).hasSize(100).doesNotHaveDuplicates();
        assertThat(kafka.bootstrapServers()).isEqualTo(KafkaBrokerExtension.broker().bootstrapServers());
    }

    @Test
    void readCommittedRefusesATopicWithATransactionLeftOpenAndNamesIt(KafkaBroker kafka) {
        String topic = "tx-left-open";
        kafka.createTopics(Map.of(topic, 1));
        String producerTransactionalId = "left-open-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = transactionalProducer(kafka, producerTransactionalId)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "key", "value"));
            producer.flush();
            // A partial read would look like lost records; the refusal says which transaction holds them back.
            assertThatThrownBy(() -> kafka.readCommitted(topic, Duration.ofSeconds(2)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Transactions on " + topic + " still open")
                    .hasMessageContaining(producerTransactionalId)
                    .hasMessageContaining("Ongoing");
            producer.commitTransaction();
        }
        assertThat(kafka.readCommitted(topic, Duration.ofSeconds(30))).hasSize(1);
    }

    @Test
    void abortedTransactionIsInvisibleToReadCommitted(KafkaBroker kafka) {
        String topic = "tx-aborted";
        kafka.createTopics(Map.of(topic, 2));

        try (KafkaProducer<String, String> producer = transactionalProducer(kafka)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 50; i++) producer.send(new ProducerRecord<>(topic, "key-" + i, "aborted-" + i));
            producer.flush(); // on the broker's log before the abort, so the abort has something to hide
            producer.abortTransaction();

            producer.beginTransaction();
            for (int i = 0; i < 10; i++) producer.send(new ProducerRecord<>(topic, "key-" + i, "committed-" + i));
            producer.commitTransaction();
        }

        assertThat(readAll(kafka, topic, "read_committed"))
                .hasSize(10)
                .allMatch(v -> v.startsWith("committed-"));
        // The aborted records are in the log; only the isolation level hides them.
        assertThat(readAll(kafka, topic, "read_uncommitted")).hasSize(60);
    }

    private static KafkaProducer<String, String> transactionalProducer(KafkaBroker kafka) {
        return transactionalProducer(kafka, "test-" + UUID.randomUUID());
    }

    private static KafkaProducer<String, String> transactionalProducer(KafkaBroker kafka, String transactionalId) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    /**
     * Every record of {@code topic} visible at {@code isolation}: reads each partition from the start up
     * to its end offset as of now (for read_committed, the last stable offset), so "exactly N" is
     * checked, not "at least N".
     */
    private static List<String> readAll(KafkaBroker kafka, String topic, String isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .collect(Collectors.toList());
            assertThat(partitions).hasSize(2);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);

            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertThat(System.nanoTime()).as("read %s up to %s in time", topic, end).isLessThan(deadline);
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) values.add(r.value());
            }
            return values;
        }
    }
}
