package io.telemetrysuite.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.services.FlinkClusterDaemon.Status;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start/status/stop cycle behind {@code ./telemetry cluster}, in a state directory of its own. */
class FlinkClusterDaemonTest {

    @Test
    void startStatusStop(@TempDir Path dir) {
        FlinkClusterDaemon daemon = new FlinkClusterDaemon(dir.resolve("cluster"), dir.resolve("checkpoints"), dir.resolve("savepoints"));
        try {
            assertThat(daemon.status().running()).isFalse();
            assertThat(daemon.status().describe()).contains("./telemetry cluster start");

            // Any free port rather than 8081: a developer's own cluster may hold it.
            Status started = daemon.start(1, 0);
            assertThat(started.running()).isTrue();
            assertThat(started.taskManagerProcesses()).isEqualTo(1);
            assertThat(started.describe()).startsWith("Flink cluster running: web UI and REST " + started.restUrl());
            assertThat(dir.resolve("cluster/conf/config.yaml")).content()
                    .contains("execution.checkpointing.savepoint-dir: " + dir.resolve("savepoints").toUri());
            assertThat(daemon.start(1, 0).jobManagerPid()).as("start while running is a no-op").isEqualTo(started.jobManagerPid());

            assertThat(daemon.stop()).isTrue();
            assertThat(ProcessHandle.of(started.jobManagerPid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(daemon.stateFile()).doesNotExist();
            assertThat(daemon.status().running()).isFalse();
            assertThat(daemon.stop()).as("stop when stopped").isFalse();
        } finally {
            daemon.stop();
        }
    }
}
