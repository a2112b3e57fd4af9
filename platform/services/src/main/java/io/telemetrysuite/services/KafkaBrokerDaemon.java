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
import java.util.Optional;
import java.util.Properties;

/**
 * A long-lived local Kafka broker for {@code ./telemetry kafka start|stop|status}: it keeps running
 * after the command that started it has exited, and later commands find it again through a state
 * file.
 *
 * <p>Everything lives in one state directory, by default {@code <repo>/.telemetry/kafka}:
 * {@code state.properties} (pid, process start time, ports, bootstrap servers, data directory, log
 * file) while the broker runs, and {@code data/} with the broker's configuration, logs and
 * partitions, which is kept across restarts so topics survive {@code stop}/{@code start}.
 *
 * <p>Ports: {@value #DEFAULT_PORT} for clients and {@value #DEFAULT_CONTROLLER_PORT} for the KRaft
 * controller when they are free, else free ones; {@link #status()} tells which.
 *
 * <p>It can also be run directly: {@code java -cp ... io.telemetrysuite.services.KafkaBrokerDaemon
 * start|stop|status}.
 */
public final class KafkaBrokerDaemon {
    /** Client port used when free. */
    public static final int DEFAULT_PORT = 9092;
    /** Controller port used when free. */
    public static final int DEFAULT_CONTROLLER_PORT = 9093;

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path stateDir;

    /** A daemon keeping its state (and its broker's data) in {@code stateDir}. */
    public KafkaBrokerDaemon(Path stateDir) {
        this.stateDir = stateDir.toAbsolutePath().normalize();
    }

    /** The daemon of this checkout: state in {@code <repo>/.telemetry/kafka}. */
    public static KafkaBrokerDaemon forRepo() {
        return new KafkaBrokerDaemon(RepoLayout.root().resolve(".telemetry").resolve("kafka"));
    }

    /** Where the state file and the data directory live. */
    public Path stateDir() {
        return stateDir;
    }

    /** The state file; it exists while a broker started by this daemon is (believed to be) running. */
    public Path stateFile() {
        return stateDir.resolve("state.properties");
    }

    /** The broker's data directory, kept across restarts. */
    public Path dataDir() {
        return stateDir.resolve("data");
    }

    /** Starts the broker on {@value #DEFAULT_PORT}/{@value #DEFAULT_CONTROLLER_PORT}, or free ports where those are taken. */
    public Status start() {
        return start(DEFAULT_PORT, DEFAULT_CONTROLLER_PORT);
    }

    /**
     * Starts the broker detached and waits until it answers, unless it is already running.
     *
     * @param preferredPort client port to use if free; 0 or a taken port means any free port
     * @param preferredControllerPort controller port to use if free; likewise
     * @return the running broker's status (the existing one's if it was already running)
     * @throws IllegalStateException if the recorded broker process is alive but does not answer (it
     *     is starting or hung: {@link #stop()} it first), or the new broker does not come up
     */
    public synchronized Status start(int preferredPort, int preferredControllerPort) {
        Status current = status();
        if (current.running()) return current;
        if (current.processAlive()) {
            throw new IllegalStateException("Kafka broker pid " + current.pid() + " is alive but does not answer on "
                    + current.bootstrapServers() + "; see " + current.logFile() + ", or stop it first.");
        }
        deleteStateFile(); // stale: the process is gone

        int port = usable(preferredPort) ? preferredPort : 0;
        int controllerPort = usable(preferredControllerPort) && preferredControllerPort != port ? preferredControllerPort : 0;
        KafkaBroker broker = KafkaBroker.builder()
                .dataDir(dataDir())
                .port(port)
                .controllerPort(controllerPort)
                .detached(true)
                .start();
        ProcessHandle process = broker.process();
        Status started = new Status(true, true, process.pid(), process.info().startInstant().orElse(null),
                broker.bootstrapServers(), broker.port(), broker.controllerPort(), broker.dataDir(), broker.logFile());
        try {
            writeState(started);
        } catch (RuntimeException e) {
            // A broker nobody can find again is worse than none.
            broker.stop();
            throw e;
        }
        return started;
    }

    /**
     * What the state file says, checked against reality: {@link Status#running()} only if the
     * recorded process is alive (and is the same process: pids get reused) and its port answers.
     */
    public Status status() {
        Optional<Properties> state = readState();
        if (state.isEmpty()) return Status.notStarted(dataDir());
        Properties p = state.get();
        long pid = Long.parseLong(p.getProperty("pid"));
        Instant processStart = Optional.ofNullable(p.getProperty("processStart")).map(Instant::parse).orElse(null);
        int port = Integer.parseInt(p.getProperty("port"));
        boolean alive = recordedProcess(pid, processStart).isPresent();
        return new Status(alive && KafkaBroker.answers(port), alive, pid, processStart,
                p.getProperty("bootstrapServers"), port, Integer.parseInt(p.getProperty("controllerPort")),
                Path.of(p.getProperty("dataDir")), Path.of(p.getProperty("logFile")));
    }

    /**
     * Stops the recorded broker (SIGTERM, SIGKILL after 30 s) and removes the state file; the data
     * directory stays.
     *
     * @return true if a running broker was stopped, false if none was running (a stale state file is
     *     removed all the same)
     */
    public synchronized boolean stop() {
        Optional<Properties> state = readState();
        if (state.isEmpty()) return false;
        long pid = Long.parseLong(state.get().getProperty("pid"));
        Instant processStart = Optional.ofNullable(state.get().getProperty("processStart")).map(Instant::parse).orElse(null);
        Optional<ProcessHandle> process = recordedProcess(pid, processStart);
        process.ifPresent(p -> KafkaBroker.terminate(p, STOP_TIMEOUT));
        deleteStateFile();
        return process.isPresent();
    }

    /**
     * {@code start|stop|status} for the repository's daemon; prints what it did. Exit codes: 0 done
     * (for {@code status}: running), 3 {@code status} found none running, 2 usage error, 1 failure.
     */
    public static void main(String[] args) {
        if (args.length != 1) usage();
        KafkaBrokerDaemon daemon = forRepo();
        try {
            switch (args[0]) {
                case "start": {
                    Status s = daemon.start();
                    System.out.println("Kafka running: " + s.describe());
                    break;
                }
                case "stop":
                    System.out.println(daemon.stop() ? "Kafka stopped." : "Kafka was not running.");
                    break;
                case "status": {
                    Status s = daemon.status();
                    System.out.println(s.describe());
                    if (!s.running()) System.exit(3);
                    break;
                }
                default:
                    usage();
            }
        } catch (RuntimeException e) {
            System.err.println("kafka " + args[0] + " failed: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void usage() {
        System.err.println("Usage: KafkaBrokerDaemon start|stop|status");
        System.exit(2);
    }

    private static boolean usable(int port) {
        return port > 0 && KafkaBroker.isFree(port);
    }

    /** The live process with this pid, if it is the one recorded: same start time where both are known. */
    private static Optional<ProcessHandle> recordedProcess(long pid, Instant recordedStart) {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> recordedStart == null || p.info().startInstant().map(recordedStart::equals).orElse(true));
    }

    private Optional<Properties> readState() {
        Path file = stateFile();
        if (!Files.exists(file)) return Optional.empty();
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read Kafka daemon state " + file, e);
        }
        for (String key : new String[] {"pid", "port", "controllerPort", "bootstrapServers", "dataDir", "logFile"}) {
            if (p.getProperty(key) == null) {
                throw new IllegalStateException("Kafka daemon state " + file + " lacks '" + key
                        + "'; stop the broker by hand if it runs, then delete the file.");
            }
        }
        return Optional.of(p);
    }

    private void writeState(Status s) {
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(s.pid()));
        if (s.processStart() != null) p.setProperty("processStart", s.processStart().toString());
        p.setProperty("bootstrapServers", s.bootstrapServers());
        p.setProperty("port", Integer.toString(s.port()));
        p.setProperty("controllerPort", Integer.toString(s.controllerPort()));
        p.setProperty("dataDir", s.dataDir().toString());
        p.setProperty("logFile", s.logFile().toString());
        try {
            Files.createDirectories(stateDir);
            // Written aside and moved, so a reader never sees half a file.
            Path tmp = Files.createTempFile(stateDir, "state", ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(out, "Local Kafka broker started by ./telemetry kafka start");
            }
            Files.move(tmp, stateFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write Kafka daemon state " + stateFile(), e);
        }
    }

    private void deleteStateFile() {
        try {
            Files.deleteIfExists(stateFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete Kafka daemon state " + stateFile(), e);
        }
    }

    /**
     * The daemon's broker as last recorded and checked.
     *
     * @param running the process is alive and its client port answers
     * @param processAlive the recorded process is alive (it may still be starting, or hung)
     * @param pid the broker's pid; 0 if none was recorded
     * @param processStart when the process started, if known; guards against pid reuse
     * @param bootstrapServers {@code 127.0.0.1:PORT}; null if none was recorded
     * @param port client port; 0 if none was recorded
     * @param controllerPort controller port; 0 if none was recorded
     * @param dataDir the broker's data directory
     * @param logFile the broker's log; null if none was recorded
     */
    public record Status(boolean running, boolean processAlive, long pid, Instant processStart, String bootstrapServers,
                         int port, int controllerPort, Path dataDir, Path logFile) {

        static Status notStarted(Path dataDir) {
            return new Status(false, false, 0, null, null, 0, 0, dataDir, null);
        }

        /** One line for a person. */
        public String describe() {
            if (pid == 0) return "Kafka is not running (no state file).";
            String where = bootstrapServers + " (controller port " + controllerPort + "), pid " + pid
                    + ", data " + dataDir + ", log " + logFile;
            if (running) return where;
            if (processAlive) return "Kafka process is alive but does not answer: " + where;
            return "Kafka is not running (stale state, last " + where + ").";
        }
    }
}
