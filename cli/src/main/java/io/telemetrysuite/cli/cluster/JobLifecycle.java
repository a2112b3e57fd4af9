package io.telemetrysuite.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.telemetrysuite.services.RepoLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * Submitting, stopping and resubmitting a {@link ClusterJob}: what {@code submit}, {@code stop},
 * {@code upgrade}, {@code rescale} and {@code rules apply} share. The CEP job is always submitted on a
 * frozen copy of its rules ({@link RuleSnapshots}).
 */
public final class JobLifecycle {
    /** A savepoint of a job with a few MB of state takes seconds; a loaded machine gets room. */
    public static final Duration SAVEPOINT_TIMEOUT = Duration.ofMinutes(5);
    /** ParameterTool's placeholder for a flag given without a value. */
    private static final String NO_VALUE = "__NO_VALUE_KEY";

    private final FlinkRest rest;
    private final Path root;

    public JobLifecycle(FlinkRest rest) {
        this(rest, RepoLayout.root());
    }

    public JobLifecycle(FlinkRest rest, Path root) {
        this.rest = rest;
        this.root = root;
    }

    /** What a restart needs to know about a running job. */
    public record Running(FlinkRest.Job job, List<String> args, @Nullable Integer parallelism) {}

    /** The running job of this kind, with its arguments and parallelism; fails clearly when it does not run. */
    public Running running(ClusterJob job) {
        FlinkRest.Job running = rest.runningJob(job.flinkName).orElseThrow(() -> new IllegalStateException(
                "Job " + job.flinkName + " is not running on " + rest.url() + "; `./telemetry jobs` lists what runs, `./telemetry submit "
                        + job.shortName + "` starts it."));
        JsonNode config = rest.jobConfig(running.id()).path("execution-config");
        // The jobs pass their arguments to setGlobalJobParameters, so the cluster remembers them for us.
        List<String> args = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) config.path("user-config")::fields) {
            args.add("--" + e.getKey());
            if (!e.getValue().asText().equals(NO_VALUE)) args.add(e.getValue().asText());
        }
        int parallelism = config.path("job-parallelism").asInt(-1);
        return new Running(running, args, parallelism > 0 ? parallelism : null);
    }

    /** Builds the job's jar if stale, uploads and runs it; returns the job id. Refuses if the job already runs. */
    public String submit(ClusterJob job, List<String> args, @Nullable Integer parallelism, @Nullable String savepoint) {
        rest.runningJob(job.flinkName).ifPresent(j -> {
            throw new IllegalStateException("Job " + job.flinkName + " already runs as " + j.id()
                    + "; `./telemetry upgrade " + job.shortName + "` replaces it with the current build, keeping its state.");
        });
        List<String> jobArgs = job == ClusterJob.CEP ? CepRulesArg.frozen(args, root) : args;
        String jobId = run(job, job.freshJar(root), jobArgs, parallelism, savepoint, false);
        if (job == ClusterJob.CEP) pruneRuleSnapshots();
        return jobId;
    }

    /** Stops the running job with a savepoint; returns the savepoint's path. */
    public String stop(Running running) {
        return rest.stopWithSavepoint(running.job().id(), SAVEPOINT_TIMEOUT);
    }

    /**
     * Stops the running job with a savepoint and runs the current build from it, with the same
     * arguments and {@code parallelism} (null: the same as before). The jar is built before the job
     * is stopped, so a build that fails leaves the job running.
     *
     * @return the savepoint's path and the new job id
     */
    public String[] restart(ClusterJob job, @Nullable Integer parallelism) {
        Running running = running(job);
        Path jar = job.freshJar(root);
        String savepoint = stop(running);
        String jobId = run(job, jar, running.args(), parallelism != null ? parallelism : running.parallelism(), savepoint, false);
        return new String[] {savepoint, jobId};
    }

    /**
     * Stops the running job with a savepoint and runs the current build from it with other arguments, at
     * the same parallelism; state of operators the new job no longer has is dropped (a removed rule's).
     * The jar is built first, so a build that fails leaves the job running.
     *
     * @return the savepoint's path and the new job id
     * @throws ResubmitFailed if the job was stopped but the new one could not be started
     */
    public String[] replace(ClusterJob job, Running running, List<String> args) {
        Path jar = job.freshJar(root);
        String savepoint = stop(running);
        String jobId;
        try {
            jobId = run(job, jar, args, running.parallelism(), savepoint, true);
        } catch (RuntimeException e) {
            throw new ResubmitFailed(savepoint, e);
        }
        if (job == ClusterJob.CEP) pruneRuleSnapshots();
        return new String[] {savepoint, jobId};
    }

    /**
     * Deletes old rule snapshots once a CEP job runs on a new one, keeping every snapshot a job on the
     * cluster still names in {@code --rules} (a restart after a failure reads it again) and the newest few.
     * Only after a successful submission: a failed one leaves the user resuming the old job on its old snapshot.
     */
    private void pruneRuleSnapshots() {
        try {
            List<Path> inUse = new ArrayList<>();
            for (FlinkRest.Job j : rest.jobs()) {
                if (!j.isRunning()) continue;
                String rules = rest.jobConfig(j.id()).path("execution-config").path("user-config").path(CepRulesArg.FLAG.substring(2)).asText("");
                if (!rules.isEmpty() && !rules.equals(NO_VALUE)) inUse.add(Path.of(rules));
            }
            new RuleSnapshots(root).prune(inUse, RuleSnapshots.KEEP_NEWEST);
        } catch (RuntimeException e) {
            // The job runs; old snapshots left behind cost disk, not correctness, so the submission still succeeds.
            System.err.println("warning: old rule snapshots in " + root.resolve(".telemetry/rules") + " not pruned: " + e.getMessage());
        }
    }

    /** The job was stopped with a savepoint, but its replacement did not start: the savepoint is what the user needs. */
    public static final class ResubmitFailed extends IllegalStateException {
        public final String savepoint;

        ResubmitFailed(String savepoint, RuntimeException cause) {
            super(innermost(cause), cause);
            this.savepoint = savepoint;
        }
    }

    private static String innermost(Throwable e) {
        while (e.getCause() != null && e.getCause() != e) e = e.getCause();
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    private String run(ClusterJob job, Path jar, List<String> args, @Nullable Integer parallelism, @Nullable String savepoint,
                       boolean allowNonRestoredState) {
        String jarId = rest.upload(jar);
        return rest.run(jarId, job.entryClass, args, parallelism, savepoint, allowNonRestoredState);
    }
}
