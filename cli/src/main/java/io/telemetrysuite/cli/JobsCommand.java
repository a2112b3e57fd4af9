package io.telemetrysuite.cli;

import io.telemetrysuite.cli.cluster.ClusterTarget;
import io.telemetrysuite.cli.cluster.FlinkRest;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ./telemetry jobs}: what the cluster runs and has run. */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "List the Flink cluster's jobs: name, id, state, start time (UTC), newest first.")
final class JobsCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    @Mixin
    ClusterTarget target;

    @Override
    public Integer call() {
        List<FlinkRest.Job> jobs = target.rest().jobs();
        if (jobs.isEmpty()) {
            System.out.println("No jobs. `./telemetry submit <job>` starts one.");
            return 0;
        }
        String format = "%-22s %-32s %-12s %s%n";
        System.out.printf(format, "NAME", "JOB ID", "STATE", "STARTED");
        for (FlinkRest.Job j : jobs) System.out.printf(format, j.name(), j.id(), j.state(), TIME.format(j.startTime()));
        return 0;
    }
}
