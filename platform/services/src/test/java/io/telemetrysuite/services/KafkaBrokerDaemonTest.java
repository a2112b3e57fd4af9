package io.telemetrysuite.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.services.KafkaBrokerDaemon.Status;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start/status/stop cycle behind {@code ./telemetry kafka}, in a state directory of its own. */
class KafkaBrokerDaemonTest {

    @Test
    void startStatusStopAndRestartKeepsData(@TempDir Path stateDir) throws Exception {
        KafkaBrokerDaemon daemon = new KafkaBrokerDaemon(stateDir);
        try {
            assertThat(daemon.status().running()).isFalse();

            // Free ports rather than 9092/9093: a developer's own broker may hold those.
            Status started = daemon.start(0, 0);
            assertThat(started.running()).isTrue();
            assertThat(daemon.stateFile()).exists();
            assertThat(started.logFile()).exists();
            assertThat(ProcessHandle.of(started.pid()).orElseThrow().info().command().orElse("")).endsWith("java");

            Status status = daemon.status();
            assertThat(status.running()).isTrue();
            assertThat(status.bootstrapServers()).isEqualTo(started.bootstrapServers());
            assertThat(daemon.start(0, 0).pid()).as("start while running is a no-op").isEqualTo(started.pid());

            createTopic(started.bootstrapServers(), "kept");

            assertThat(daemon.stop()).isTrue();
            assertThat(ProcessHandle.of(started.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(daemon.stateFile()).doesNotExist();
            assertThat(daemon.status().running()).isFalse();
            assertThat(daemon.stop()).as("stop when stopped").isFalse();

            Status restarted = daemon.start(0, 0);
            assertThat(restarted.pid()).isNotEqualTo(started.pid());
            assertThat(listTopics(restarted.bootstrapServers())).as("data kept across restarts").contains("kept");
        } finally {
            daemon.stop();
        }
    }

    private static void createTopic(String bootstrapServers, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static Set<String> listTopics(String bootstrapServers) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }
}
