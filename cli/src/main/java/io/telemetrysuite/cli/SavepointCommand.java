package io.telemetrysuite.cli;

import io.telemetrysuite.cli.cluster.ClusterJob;
import io.telemetrysuite.cli.cluster.ClusterTarget;
import io.telemetrysuite.cli.cluster.FlinkRest;
import io.telemetrysuite.cli.cluster.JobLifecycle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code ./telemetry savepoint <job>}: a savepoint of the running job; it keeps running. */
@Command(name = "savepoint", mixinStandardHelpOptions = true, description = "Take a savepoint of the running job (into savepoints/) and print its path.")
final class SavepointCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "JOB", description = "ingest, aggregate, cep or traces.")
    String job;

    @Mixin
    ClusterTarget target;

    @Override
    public Integer call() {
        FlinkRest rest = target.rest();
        JobLifecycle.Running running = new JobLifecycle(rest).running(ClusterJob.of(job));
        String path = rest.savepoint(running.job().id(), JobLifecycle.SAVEPOINT_TIMEOUT);
        System.out.println("Savepoint of " + running.job().name() + " (" + running.job().id() + "): " + path);
        return 0;
    }
}
