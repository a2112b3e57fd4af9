package io.telemetrysuite.services;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * A long-lived local Flink session cluster for {@code ./telemetry cluster start|stop|status}: the
 * processes keep running after the command that started them has exited, and later commands
 * ({@code submit}, {@code jobs}, {@code savepoint}, ...) find the REST API again through a state file.
 *
 * <p>State directory, by default {@code <repo>/.telemetry/cluster}: {@code state.properties} (REST
 * port, and pid and start time of every process) while the cluster runs, {@code conf/} and
 * {@code log/}. Checkpoints go to {@code <repo>/.telemetry/checkpoints}, savepoints to
 * {@code <repo>/savepoints}.
 */
public final class FlinkClusterDaemon {
    /** REST and web UI port used when free (Flink's default). */
    public static final int DEFAULT_REST_PORT = 8081;

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path stateDir;
    private final Path checkpointsDir;
    private final Path savepointsDir;

    /** A daemon keeping its state in {@code stateDir}, checkpoints and savepoints where given. */
    public FlinkClusterDaemon(Path stateDir, Path checkpointsDir, Path savepointsDir) {
        this.stateDir = stateDir.toAbsolutePath().normalize();
        this.checkpointsDir = checkpointsDir.toAbsolutePath().normalize();
        this.savepointsDir = savepointsDir.toAbsolutePath().normalize();
    }

    /** The daemon of this checkout. */
    public static FlinkClusterDaemon forRepo() {
        Path root = RepoLayout.root();
        return new FlinkClusterDaemon(root.resolve(".telemetry").resolve("cluster"),
                root.resolve(".telemetry").resolve("checkpoints"), root.resolve("savepoints"));
    }

    /** The state file; it exists while a cluster started by this daemon is (believed to be) running. */
    public Path stateFile() {
        return stateDir.resolve("state.properties");
    }

    /** Where {@code conf/} and {@code log/} live. */
    public Path stateDir() {
        return stateDir;
    }

    /**
     * Starts a JobManager and {@code taskManagers} TaskManagers detached, unless a cluster runs.
     *
     * @param preferredRestPort REST port to use if free; 0 or a taken port means any free port
     * @return the running cluster's status (the existing one's if it was already running)
     */
    public synchronized Status start(int taskManagers, int preferredRestPort) {
        Status current = status();
        if (current.running()) return current;
        if (current.jobManagerAlive()) {
            throw new IllegalStateException("Flink JobManager pid " + current.jobManagerPid() + " is alive but its REST API does not answer on "
                    + current.restUrl() + "; see " + stateDir.resolve("log") + ", or stop it first.");
        }
        stopRecorded(); // stale: clean up whatever TaskManagers survived
        int port = preferredRestPort > 0 && KafkaBroker.isFree(preferredRestPort) ? preferredRestPort : 0;
        FlinkCluster cluster = FlinkCluster.builder()
                .stateDir(stateDir)
                .checkpointsDir(checkpointsDir)
                .savepointsDir(savepointsDir)
                .restPort(port)
                .taskManagers(taskManagers)
                .detached(true)
                .start();
        List<ProcessHandle> processes = new ArrayList<>();
        processes.add(cluster.jobManager());
        processes.addAll(cluster.taskManagers());
        try {
            writeState(cluster.restPort(), processes);
        } catch (RuntimeException e) {
            cluster.stop();
            throw e;
        }
        return status();
    }

    /**
     * What the state file says, checked against reality: running if the recorded JobManager is alive
     * (the same process: pids get reused) and its REST API answers.
     */
    public Status status() {
        Optional<Properties> state = readState();
        if (state.isEmpty()) return new Status(false, false, 0, 0, 0, stateDir);
        Properties p = state.get();
        int restPort = Integer.parseInt(p.getProperty("restPort"));
        List<ProcessHandle> live = recordedProcesses(p);
        long jmPid = Long.parseLong(p.getProperty("process.0.pid"));
        boolean jmAlive = live.stream().anyMatch(h -> h.pid() == jmPid);
        int taskManagers = (int) live.stream().filter(h -> h.pid() != jmPid).count();
        return new Status(jmAlive && KafkaBroker.answers(restPort), jmAlive, jmPid, restPort, taskManagers, stateDir);
    }

    /**
     * Stops every recorded process (TaskManagers first; SIGTERM, SIGKILL after 30 s) and removes the
     * state file; configuration and logs stay.
     *
     * @return true if something was running
     */
    public synchronized boolean stop() {
        boolean stopped = stopRecorded();
        try {
            Files.deleteIfExists(stateFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete Flink cluster state " + stateFile(), e);
        }
        return stopped;
    }

    private boolean stopRecorded() {
        Optional<Properties> state = readState();
        if (state.isEmpty()) return false;
        List<ProcessHandle> live = recordedProcesses(state.get());
        // Recorded in start order, JobManager first: stop in reverse, so TaskManagers go before it.
        for (int i = live.size() - 1; i >= 0; i--) KafkaBroker.terminate(live.get(i), STOP_TIMEOUT);
        return !live.isEmpty();
    }

    private static List<ProcessHandle> recordedProcesses(Properties p) {
        List<ProcessHandle> live = new ArrayList<>();
        for (int i = 0; p.getProperty("process." + i + ".pid") != null; i++) {
            long pid = Long.parseLong(p.getProperty("process." + i + ".pid"));
            Instant start = Optional.ofNullable(p.getProperty("process." + i + ".start")).map(Instant::parse).orElse(null);
            ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(h -> start == null || h.info().startInstant().map(start::equals).orElse(true))
                    .ifPresent(live::add);
        }
        return live;
    }

    private Optional<Properties> readState() {
        Path file = stateFile();
        if (!Files.exists(file)) return Optional.empty();
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read Flink cluster state " + file, e);
        }
        if (p.getProperty("restPort") == null || p.getProperty("process.0.pid") == null) {
            throw new IllegalStateException("Flink cluster state " + file + " is incomplete; stop the cluster's java processes by hand "
                    + "if they run, then delete the file.");
        }
        return Optional.of(p);
    }

    private void writeState(int restPort, List<ProcessHandle> processes) {
        Properties p = new Properties();
        p.setProperty("restPort", Integer.toString(restPort));
        for (int i = 0; i < processes.size(); i++) {
            ProcessHandle h = processes.get(i);
            p.setProperty("process." + i + ".pid", Long.toString(h.pid()));
            int index = i;
            h.info().startInstant().ifPresent(s -> p.setProperty("process." + index + ".start", s.toString()));
        }
        try {
            Files.createDirectories(stateDir);
            Path tmp = Files.createTempFile(stateDir, "state", ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(out, "Local Flink session cluster started by ./telemetry cluster start (process.0 is the JobManager)");
            }
            Files.move(tmp, stateFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write Flink cluster state " + stateFile(), e);
        }
    }

    /**
     * The daemon's cluster as last recorded and checked.
     *
     * @param running the JobManager is alive and its REST port answers
     * @param jobManagerAlive the recorded JobManager process is alive
     * @param jobManagerPid 0 if none was recorded
     * @param restPort 0 if none was recorded
     * @param taskManagerProcesses live TaskManager processes started by the daemon
     * @param stateDir where conf/ and log/ are
     */
    public record Status(boolean running, boolean jobManagerAlive, long jobManagerPid, int restPort, int taskManagerProcesses, Path stateDir) {
        /** {@code http://127.0.0.1:PORT}; null if none was recorded. */
        public String restUrl() {
            return restPort == 0 ? null : "http://127.0.0.1:" + restPort;
        }

        /** One line for a person. */
        public String describe() {
            if (jobManagerPid == 0) return "Flink cluster is not running (no state file). Start it with `./telemetry cluster start`.";
            String where = "web UI and REST " + restUrl() + ", JobManager pid " + jobManagerPid + ", " + taskManagerProcesses
                    + " TaskManager process(es), logs " + stateDir.resolve("log");
            if (running) return "Flink cluster running: " + where;
            if (jobManagerAlive) return "Flink JobManager is alive but does not answer: " + where;
            return "Flink cluster is not running (stale state, last " + where + "). Start it with `./telemetry cluster start`.";
        }
    }
}
