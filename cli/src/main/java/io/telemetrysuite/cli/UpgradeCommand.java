package io.telemetrysuite.cli;

import io.telemetrysuite.cli.cluster.ClusterJob;
import io.telemetrysuite.cli.cluster.ClusterTarget;
import io.telemetrysuite.cli.cluster.JobLifecycle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code ./telemetry upgrade <job>}: the current build replaces the running job, which hands over its state in a savepoint. */
@Command(name = "upgrade", mixinStandardHelpOptions = true,
        description = "Build the job's jar if stale, stop the running job with a savepoint and run the new jar from it "
                + "(same arguments and parallelism).")
final class UpgradeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "JOB", description = "ingest, aggregate, cep or traces.")
    String job;

    @Mixin
    ClusterTarget target;

    @Override
    public Integer call() {
        ClusterJob clusterJob = ClusterJob.of(job);
        String[] savepointAndJob = new JobLifecycle(target.rest()).restart(clusterJob, null);
        System.out.println("Stopped " + clusterJob.flinkName + " with savepoint " + savepointAndJob[0]);
        System.out.println("Upgraded " + clusterJob.flinkName + ": job id " + savepointAndJob[1]);
        return 0;
    }
}
