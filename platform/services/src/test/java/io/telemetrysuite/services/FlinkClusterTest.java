package io.telemetrysuite.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real standalone session cluster: JobManager and TaskManagers as processes, one killed and replaced. */
class FlinkClusterTest {

    @Test
    void startsTwoTaskManagersAndReplacesAKilledOne(@TempDir Path stateDir) throws Exception {
        try (FlinkCluster flink = FlinkCluster.builder()
                .stateDir(stateDir)
                .taskManagers(2)
                .setting("taskmanager.memory.process.size", "1g")
                .setting("taskmanager.numberOfTaskSlots", "2")
                .setting("heartbeat.timeout", "10000")
                .start()) {
            assertThat(flink.getJson("/overview").path("taskmanagers").asInt()).isEqualTo(2);
            assertThat(flink.getJson("/overview").path("slots-total").asInt()).isEqualTo(4);
            String config = Files.readString(flink.confDir().resolve("config.yaml"));
            assertThat(config).contains("rest.port: '" + flink.restPort() + "'")
                    .contains("execution.checkpointing.dir: " + stateDir.resolve("checkpoints").toUri())
                    .doesNotContain("\nrest:\n");
            assertThat(flink.logDir().resolve("jobmanager.log")).exists();
            assertThat(flink.registeredTaskManagers()).containsExactlyInAnyOrder("taskmanager-0", "taskmanager-1");

            long killed = flink.taskManagers().get(0).pid();
            flink.killTaskManager(0);
            assertThat(ProcessHandle.of(killed).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            // The JobManager drops the dead one after the heartbeat timeout; then the count is 1.
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (flink.getJson("/overview").path("taskmanagers").asInt() != 1 && System.nanoTime() < deadline) Thread.sleep(500);
            assertThat(flink.getJson("/overview").path("taskmanagers").asInt()).isEqualTo(1);

            assertThat(flink.startTaskManager()).isEqualTo(2);
            assertThat(flink.getJson("/overview").path("taskmanagers").asInt()).isEqualTo(2);
            assertThat(flink.logDir().resolve("taskmanager-2.log")).exists();
        }
        assertThat(stateDir.resolve("conf/config.yaml")).as("a given state directory is kept").exists();
    }
}
