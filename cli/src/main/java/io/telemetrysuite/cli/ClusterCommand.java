package io.telemetrysuite.cli;

import io.telemetrysuite.services.FlinkClusterDaemon;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./telemetry cluster start|stop|status}: a local Flink standalone session cluster, kept running between commands. */
@Command(name = "cluster", description = "Start, stop or inspect the local Flink session cluster (JobManager and TaskManagers as processes on 127.0.0.1, "
        + "configured from flink-conf/config.yaml; state in .telemetry/cluster, savepoints in savepoints/).",
        subcommands = {ClusterCommand.Start.class, ClusterCommand.Stop.class, ClusterCommand.Status.class})
final class ClusterCommand {

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start the cluster in the background (no-op if it runs); prints the web UI address.")
    static final class Start implements Callable<Integer> {
        @Option(names = "--task-managers", defaultValue = "1", description = "TaskManagers to start (default: ${DEFAULT-VALUE}).")
        int taskManagers;

        @Option(names = "--port", defaultValue = "8081", description = "REST and web UI port if free, else any free one (default: ${DEFAULT-VALUE}).")
        int port;

        @Override
        public Integer call() {
            System.out.println(FlinkClusterDaemon.forRepo().start(taskManagers, port).describe());
            return 0;
        }
    }

    @Command(name = "stop", description = "Stop the cluster's processes (running jobs stop with them; take savepoints first).")
    static final class Stop implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.println(FlinkClusterDaemon.forRepo().stop() ? "Flink cluster stopped." : "Flink cluster was not running.");
            return 0;
        }
    }

    @Command(name = "status", description = "Say whether the cluster runs and where; exit 1 if it does not.")
    static final class Status implements Callable<Integer> {
        @Override
        public Integer call() {
            FlinkClusterDaemon.Status status = FlinkClusterDaemon.forRepo().status();
            System.out.println(status.describe());
            return status.running() ? 0 : 1;
        }
    }
}
