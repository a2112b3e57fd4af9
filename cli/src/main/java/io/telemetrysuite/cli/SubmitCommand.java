package io.telemetrysuite.cli;

import io.telemetrysuite.cli.cluster.ClusterJob;
import io.telemetrysuite.cli.cluster.ClusterTarget;
import io.telemetrysuite.cli.cluster.FlinkRest;
import io.telemetrysuite.cli.cluster.JobLifecycle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./telemetry submit <job> [-- job args]}: the job's fat jar, uploaded to the cluster and run. */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Build the job's jar if stale, upload it to the Flink cluster and run it. Job arguments go after `--`, "
                + "e.g. `./telemetry submit ingest -- --config ingest.yaml`.")
final class SubmitCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "JOB", description = "ingest, aggregate, cep or traces.")
    String job;

    @Parameters(index = "1..*", paramLabel = "ARG", description = "Arguments for the job's main (after `--`).")
    List<String> args = new ArrayList<>();

    @Option(names = "--parallelism", description = "Parallelism (default: the cluster's parallelism.default).")
    Integer parallelism;

    @Option(names = "--from-savepoint", paramLabel = "PATH", description = "Start from this savepoint (or retained checkpoint).")
    String savepoint;

    @Mixin
    ClusterTarget target;

    @Override
    public Integer call() {
        ClusterJob clusterJob = ClusterJob.of(job);
        FlinkRest rest = target.rest();
        String jobId = new JobLifecycle(rest).submit(clusterJob, args, parallelism, savepoint);
        System.out.println("Submitted " + clusterJob.flinkName + ": job id " + jobId);
        System.out.println("Web UI: " + rest.url() + "/#/job/running/" + jobId + "/overview");
        return 0;
    }
}
