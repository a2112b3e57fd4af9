package io.telemetrysuite.cli;

import io.telemetrysuite.cli.cluster.ClusterJob;
import io.telemetrysuite.cli.cluster.ClusterTarget;
import io.telemetrysuite.cli.cluster.JobLifecycle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code ./telemetry rescale <job> <parallelism>}: stop with a savepoint and resume at another
 * parallelism; Flink redistributes keyed state by key group, so no key loses its state.
 */
@Command(name = "rescale", mixinStandardHelpOptions = true,
        description = "Stop the running job with a savepoint and resume it from there at PARALLELISM (keyed state is redistributed by key group).")
final class RescaleCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "JOB", description = "ingest, aggregate, cep or traces.")
    String job;

    @Parameters(index = "1", paramLabel = "PARALLELISM", description = "The new parallelism (at most the job's max parallelism: 128, pipeline.max-parallelism in flink-conf/config.yaml).")
    int parallelism;

    @Mixin
    ClusterTarget target;

    @Override
    public Integer call() {
        if (parallelism < 1) throw new IllegalArgumentException("PARALLELISM must be at least 1, got " + parallelism);
        ClusterJob clusterJob = ClusterJob.of(job);
        String[] savepointAndJob = new JobLifecycle(target.rest()).restart(clusterJob, parallelism);
        System.out.println("Stopped " + clusterJob.flinkName + " with savepoint " + savepointAndJob[0]);
        System.out.println("Rescaled " + clusterJob.flinkName + " to parallelism " + parallelism + ": job id " + savepointAndJob[1]);
        return 0;
    }
}
