package io.telemetrysuite.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts what the jobs committed to their output topics, as a {@code read_committed} reader sees it:
 * the demo's progress line is what exactly-once delivered, not what operators emitted.
 */
final class TopicProgress implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<String> topics;

    TopicProgress(String bootstrap, List<String> topics) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(props);
        this.topics = topics;
    }

    /** "topic count  topic count ..." with committed record counts (last stable offsets; transaction markers included). */
    String poll() {
        StringBuilder line = new StringBuilder();
        for (String topic : topics) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            long total = consumer.endOffsets(partitions, Duration.ofSeconds(5)).values().stream().mapToLong(Long::longValue).sum();
            line.append(String.format("%s %,d  ", topic, total));
        }
        return line.toString().trim();
    }

    static void createTopics(String bootstrap, Map<String, Integer> partitions) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            List<NewTopic> topics = new ArrayList<>();
            partitions.forEach((name, n) -> topics.add(new NewTopic(name, n, (short) 1)));
            for (var result : admin.createTopics(topics).values().values()) {
                try {
                    result.get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) throw new IllegalStateException("cannot create topics", e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
