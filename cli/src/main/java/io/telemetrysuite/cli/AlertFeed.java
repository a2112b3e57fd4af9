package io.telemetrysuite.cli;

import io.telemetrysuite.json.EventJson;
import io.telemetrysuite.model.Alert;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.annotation.Nullable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The demo's view of the alerts topic: every committed alert once, as one line for the terminal
 * ({@code FIRING critical host-cpu-plateau {host.name=host-3} at 12:04:10Z: ...}).
 */
final class AlertFeed implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;

    AlertFeed(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "telemetry-demo-alert-feed-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(topic));
    }

    /** One record of the alerts topic: the alert and its line, or only a line saying why it could not be read. */
    record Entry(@Nullable Alert alert, String line) {}

    /** The alerts committed since the last call, waiting up to a second for the first. */
    List<Entry> poll() {
        List<Entry> entries = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
            try {
                Alert alert = EventJson.fromBytes(record.value(), Alert.class);
                entries.add(new Entry(alert, describe(alert)));
            } catch (java.io.IOException | RuntimeException e) {
                entries.add(new Entry(null, "(unreadable alert at offset " + record.offset() + ": " + e.getMessage() + ")"));
            }
        }
        return entries;
    }

    static String describe(Alert alert) {
        return String.format("%s %s %s %s at %s: %s", alert.status.toUpperCase(java.util.Locale.ROOT), alert.severity, alert.ruleId,
                new java.util.TreeMap<>(alert.labels), Instant.ofEpochMilli(alert.eventTime), alert.summary);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
