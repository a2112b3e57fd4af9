package io.telemetrysuite.cli;

import io.telemetrysuite.cli.cluster.ClusterJob;
import io.telemetrysuite.cli.cluster.ClusterTarget;
import io.telemetrysuite.cli.cluster.JobLifecycle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code ./telemetry stop <job>}: stop with a savepoint, so the job can resume where it stopped. */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stop the running job with a savepoint (sinks commit, sources stop) and print the savepoint's path.")
final class StopJobCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "JOB", description = "ingest, aggregate, cep or traces.")
    String job;

    @Mixin
    ClusterTarget target;

    @Override
    public Integer call() {
        JobLifecycle lifecycle = new JobLifecycle(target.rest());
        JobLifecycle.Running running = lifecycle.running(ClusterJob.of(job));
        String path = lifecycle.stop(running);
        System.out.println("Stopped " + running.job().name() + " (" + running.job().id() + ") with savepoint " + path);
        System.out.println("Resume it with `./telemetry submit " + job + " --from-savepoint " + path + "`.");
        return 0;
    }
}
