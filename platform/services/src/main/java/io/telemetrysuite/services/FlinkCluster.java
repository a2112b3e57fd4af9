package io.telemetrysuite.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Flink standalone session cluster on this machine: one JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and any number of TaskManagers
 * ({@code TaskManagerRunner}), each its own JVM, run from the Flink release jars that
 * {@code platform/flink-dist} copies to {@code target/lib} (what the Flink distribution's {@code lib/}
 * holds; the distribution itself is not on Maven Central).
 *
 * <pre>{@code
 * try (FlinkCluster flink = FlinkCluster.builder().taskManagers(2).start()) {
 *     ... POST flink.restUrl() + "/jars/upload" ...
 *     flink.killTaskManager(0);          // SIGKILL, as a crashed machine would
 *     flink.startTaskManager();          // a replacement registers
 * }
 * }</pre>
 *
 * <p>Files, all in {@link #stateDir()}: {@code conf/config.yaml} (the repository's
 * {@code flink-conf/config.yaml} with the ports this cluster uses, absolute checkpoint and savepoint
 * directories, and the builder's settings), {@code conf/log4j.properties}, {@code log/} (one
 * {@code .log} per process, as the web UI shows it, and one {@code .out} with the JVM's own output).
 *
 * <p>Every address is 127.0.0.1. The REST port (and web UI) is the builder's, or free; the RPC and
 * blob ports are picked free, so a cluster can run beside a user's or another test's.
 *
 * <p>Unless {@linkplain Builder#detached(boolean) detached}, the processes are stopped by
 * {@link #stop()} or by a shutdown hook when the starting JVM exits.
 */
public final class FlinkCluster implements AutoCloseable {
    /** System property naming the directory of Flink jars; wins over everything else. */
    public static final String LIB_PROPERTY = "telemetry.flink.lib";
    /** Environment variable naming the directory of Flink jars; used when the property is unset. */
    public static final String LIB_ENV = "TELEMETRY_FLINK_LIB";
    /** Where flink-dist copies the jars, relative to the repository root. */
    public static final String LIB_IN_REPO = "platform/flink-dist/target/lib";
    /** The cluster configuration every launch starts from, relative to the repository root. */
    public static final String CONFIG_IN_REPO = "flink-conf/config.yaml";

    /**
     * Flink's JVM options for JDK 17 (the list its own {@code env.java.opts.all} default carries), and
     * the incubator module DataSketches serializes sketches with: the aggregate job's TaskManagers do.
     * The same list as the parent pom's {@code flink.jvm.opens}.
     */
    static final List<String> JVM_OPENS = List.of(
            "--add-modules=jdk.incubator.foreign",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED", "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED");

    private static final String ENTRYPOINT = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    private static final String TASK_MANAGER = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    private static final String BASH_JAVA_UTILS = "org.apache.flink.runtime.util.bash.BashJavaUtils";
    private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
    private static final int LOG_TAIL_LINES = 40;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path lib;
    private final Path configSource;
    private final Path stateDir;
    private final boolean ownsStateDir;
    private final int requestedRestPort;
    private final int initialTaskManagers;
    private final Path checkpointsDir;
    private final Path savepointsDir;
    private final Map<String, String> settings;
    private final Duration startTimeout;
    private final Duration stopTimeout;
    private final boolean detached;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ProcessHandle jobManager;
    /** Live and killed TaskManagers, in start order; killed ones stay so indexes do not shift. */
    private final List<ProcessHandle> taskManagers = new ArrayList<>();
    private int restPort;
    private int nextTaskManagerId;
    private List<String> taskManagerJvmFlags;
    private List<String> taskManagerDynamicSettings;
    private Thread shutdownHook;

    private FlinkCluster(Builder b) {
        this.lib = b.lib != null ? checkLib(b.lib.toAbsolutePath(), "the builder") : locateLib();
        this.configSource = (b.configSource != null ? b.configSource : RepoLayout.root().resolve(CONFIG_IN_REPO)).toAbsolutePath();
        this.ownsStateDir = b.stateDir == null;
        try {
            this.stateDir = ownsStateDir ? Files.createTempDirectory("flink-cluster-") : b.stateDir.toAbsolutePath().normalize();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary state directory for the Flink cluster", e);
        }
        this.requestedRestPort = b.restPort;
        this.initialTaskManagers = b.taskManagers;
        this.checkpointsDir = (b.checkpointsDir != null ? b.checkpointsDir : stateDir.resolve("checkpoints")).toAbsolutePath();
        this.savepointsDir = (b.savepointsDir != null ? b.savepointsDir : stateDir.resolve("savepoints")).toAbsolutePath();
        this.settings = Map.copyOf(b.settings);
        this.startTimeout = b.startTimeout;
        this.stopTimeout = b.stopTimeout;
        this.detached = b.detached;
    }

    /** A builder with the defaults: one TaskManager, a free REST port, a temporary state directory. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The directory holding the Flink jars: the system property {@value #LIB_PROPERTY}, else the
     * environment variable {@value #LIB_ENV}, else {@value #LIB_IN_REPO} under the repository root.
     *
     * @throws IllegalStateException if the directory holds no {@code flink-runtime-*.jar}
     */
    public static Path locateLib() {
        String configured = System.getProperty(LIB_PROPERTY);
        String source = "system property " + LIB_PROPERTY;
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(LIB_ENV);
            source = "environment variable " + LIB_ENV;
        }
        if (configured != null && !configured.isBlank()) return checkLib(Path.of(configured).toAbsolutePath(), source);
        return checkLib(RepoLayout.root().resolve(LIB_IN_REPO), "the repository");
    }

    private static Path checkLib(Path lib, String source) {
        boolean found = false;
        if (Files.isDirectory(lib)) {
            try (Stream<Path> files = Files.list(lib)) {
                found = files.anyMatch(f -> f.getFileName().toString().matches("flink-runtime-\\d.*\\.jar"));
            } catch (IOException e) {
                found = false;
            }
        }
        if (!found) {
            throw new IllegalStateException("No Flink jars (flink-runtime-*.jar) in " + lib + " (from " + source
                    + "). Build them with `mvn -pl platform/flink-dist package` or `./telemetry build`, or point "
                    + LIB_PROPERTY + " / " + LIB_ENV + " at a directory holding them.");
        }
        return lib;
    }

    /**
     * Writes the configuration, starts the JobManager, waits for its REST API, then starts the
     * TaskManagers and waits until all have registered.
     *
     * @return this cluster, running
     * @throws IllegalStateException if already started, or a process dies or is not ready within the
     *     start timeout; the message carries the end of its log
     */
    public synchronized FlinkCluster start() {
        if (jobManager != null) throw new IllegalStateException("Flink cluster already started: " + restUrl());
        restPort = requestedRestPort != 0 ? requestedRestPort : freePort();
        try {
            writeConfig(freePort(restPort), freePort(restPort));
            jobManager = launch("jobmanager", ENTRYPOINT, jobManagerJvmFlags(), List.of());
            awaitRest();
            for (int i = 0; i < initialTaskManagers; i++) startTaskManager();
            return this;
        } catch (RuntimeException e) {
            kill();
            removeShutdownHook();
            throw e;
        }
    }

    /**
     * Starts one more TaskManager and waits until the JobManager counts it.
     *
     * @return its index for {@link #killTaskManager(int)}
     */
    public synchronized int startTaskManager() {
        if (jobManager == null) throw new IllegalStateException("Flink cluster not started");
        if (taskManagerJvmFlags == null) computeTaskManagerResources();
        String name = "taskmanager-" + nextTaskManagerId++;
        List<String> settings = new ArrayList<>(taskManagerDynamicSettings);
        // Our own resource id, so the JobManager's list names it and we can wait for exactly this one (a
        // SIGKILLed TaskManager stays listed until its heartbeat times out, so a count would mislead).
        settings.addAll(List.of("-D", "taskmanager.resource-id=" + name));
        ProcessHandle tm = launch(name, TASK_MANAGER, taskManagerJvmFlags, settings);
        taskManagers.add(tm);
        awaitTaskManager(name, tm);
        return taskManagers.size() - 1;
    }

    /** The resource ids of the TaskManagers the JobManager has registered (a killed one until its heartbeat times out). */
    public List<String> registeredTaskManagers() {
        List<String> ids = new ArrayList<>();
        getJson("/taskmanagers").path("taskmanagers").forEach(tm -> ids.add(tm.path("id").asText()));
        return ids;
    }

    /**
     * Kills TaskManager {@code index} with SIGKILL (no clean shutdown, as when its machine dies) and
     * waits until the process is gone. The JobManager notices by heartbeat timeout or lost connection.
     */
    public synchronized void killTaskManager(int index) {
        ProcessHandle tm = taskManagers.get(index);
        if (!tm.isAlive()) throw new IllegalStateException("TaskManager " + index + " (pid " + tm.pid() + ") is not running");
        // ProcessHandle.destroyForcibly is SIGKILL on Unix.
        tm.destroyForcibly();
        try {
            tm.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("TaskManager pid " + tm.pid() + " did not die after SIGKILL", e);
        }
    }

    /** {@code http://127.0.0.1:PORT}: the REST API and the web UI. */
    public String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    /** The REST (and web UI) port; 0 before {@link #start()} when it is to be picked. */
    public int restPort() {
        return restPort;
    }

    /** Where the configuration and the logs live. */
    public Path stateDir() {
        return stateDir;
    }

    /** The configuration the processes read. */
    public Path confDir() {
        return stateDir.resolve("conf");
    }

    /** One {@code .log} and one {@code .out} per process. */
    public Path logDir() {
        return stateDir.resolve("log");
    }

    /** Where checkpoints go ({@code execution.checkpointing.dir}). */
    public Path checkpointsDir() {
        return checkpointsDir;
    }

    /** Where savepoints go by default ({@code execution.checkpointing.savepoint-dir}). */
    public Path savepointsDir() {
        return savepointsDir;
    }

    /** The JobManager's process. */
    public synchronized ProcessHandle jobManager() {
        if (jobManager == null) throw new IllegalStateException("Flink cluster not started");
        return jobManager;
    }

    /** Every TaskManager started, killed ones included, in start order (the indexes of {@link #killTaskManager}). */
    public synchronized List<ProcessHandle> taskManagers() {
        return List.copyOf(taskManagers);
    }

    /** Whether the JobManager's process is alive. */
    public synchronized boolean isRunning() {
        return jobManager != null && jobManager.isAlive();
    }

    /** Stops TaskManagers, then the JobManager: SIGTERM, SIGKILL after the stop timeout. Deletes a temporary state directory. */
    public synchronized void stop() {
        for (ProcessHandle tm : taskManagers) KafkaBroker.terminate(tm, stopTimeout);
        if (jobManager != null) KafkaBroker.terminate(jobManager, stopTimeout);
        jobManager = null;
        taskManagers.clear();
        removeShutdownHook();
        if (ownsStateDir) LocalServer.deleteRecursively(stateDir);
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "FlinkCluster[" + restUrl() + ", " + stateDir + "]";
    }

    /** GET a REST path and parse the JSON answer; throws if the JobManager does not answer 200. */
    public JsonNode getJson(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(restUrl() + path))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Flink REST " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("Flink REST API at " + restUrl() + " did not answer " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while calling Flink REST " + path, e);
        }
    }

    private void writeConfig(int rpcPort, int blobPort) {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("rest.port", Integer.toString(restPort));
        overrides.put("jobmanager.rpc.port", Integer.toString(rpcPort));
        overrides.put("blob.server.port", Integer.toString(blobPort));
        overrides.put("execution.checkpointing.dir", checkpointsDir.toUri().toString());
        overrides.put("execution.checkpointing.savepoint-dir", savepointsDir.toUri().toString());
        overrides.put("web.tmpdir", stateDir.resolve("web").toString());
        overrides.put("io.tmp.dirs", stateDir.resolve("tmp").toString());
        overrides.putAll(settings);
        try {
            Files.createDirectories(confDir());
            Files.createDirectories(logDir());
            Files.createDirectories(stateDir.resolve("web"));
            Files.createDirectories(stateDir.resolve("tmp"));
            Files.writeString(confDir().resolve("config.yaml"), FlinkConfigFile.withOverrides(configSource, overrides), StandardCharsets.UTF_8);
            Files.writeString(confDir().resolve("log4j.properties"), LOG4J, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the Flink configuration to " + confDir(), e);
        }
    }

    /** Flink's own console-less log4j setup: one rolling file per process, named by {@code -Dlog.file}. */
    private static final String LOG4J = String.join("\n",
            "# Flink cluster logging, written by " + FlinkCluster.class.getName(),
            "monitorInterval = 30",
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.file.ref = MainAppender",
            "logger.kafka.name = org.apache.kafka",
            "logger.kafka.level = WARN",
            "appender.main.name = MainAppender",
            "appender.main.type = RollingFile",
            "appender.main.append = true",
            "appender.main.fileName = ${sys:log.file}",
            "appender.main.filePattern = ${sys:log.file}.%i",
            "appender.main.layout.type = PatternLayout",
            "appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
            "appender.main.policies.type = Policies",
            "appender.main.policies.size.type = SizeBasedTriggeringPolicy",
            "appender.main.policies.size.size = 50MB",
            "appender.main.strategy.type = DefaultRolloverStrategy",
            "appender.main.strategy.max = 3",
            "");

    private List<String> jobManagerJvmFlags() {
        return bashJavaUtils("GET_JM_RESOURCE_PARAMS").get(0);
    }

    /**
     * Flink's start scripts ask {@code BashJavaUtils} for the memory layout a TaskManager of the
     * configured process size gets: the JVM flags and the {@code -D} settings (without
     * {@code taskmanager.cpu.cores} among them a TaskManager refuses to start). Done once per cluster.
     */
    private void computeTaskManagerResources() {
        List<List<String>> result = bashJavaUtils("GET_TM_RESOURCE_PARAMS");
        taskManagerJvmFlags = result.get(0);
        // "-D key=value -D key=value": TaskManagerRunner parses the same pairs.
        taskManagerDynamicSettings = result.size() > 1 ? result.get(1) : List.of();
    }

    /** The tool's result lines (after its prefix), each split on spaces; logging lines before them are ignored. */
    private List<List<String>> bashJavaUtils(String command) {
        List<String> cmd = javaCommand(List.of("-Xmx128m"), logDir().resolve("bash-java-utils.log"));
        cmd.addAll(List.of(BASH_JAVA_UTILS, command, "--configDir", confDir().toString()));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String output;
            try (InputStream in = p.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("Flink's BashJavaUtils " + command + " failed for " + confDir() + ":\n" + output);
            }
            List<List<String>> results = output.lines()
                    .filter(l -> l.startsWith(RESULT_PREFIX))
                    .map(l -> Arrays.stream(l.substring(RESULT_PREFIX.length()).trim().split("\\s+"))
                            .filter(s -> !s.isEmpty()).collect(Collectors.toList()))
                    .collect(Collectors.toList());
            if (results.isEmpty()) throw new IllegalStateException("Flink's BashJavaUtils " + command + " printed no result:\n" + output);
            return results;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run Flink's BashJavaUtils from " + lib, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running BashJavaUtils", e);
        }
    }

    private List<String> javaCommand(List<String> memoryFlags, Path logFile) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(memoryFlags);
        command.addAll(JVM_OPENS);
        command.add("-Djava.awt.headless=true");
        command.add("-Dlog.file=" + logFile);
        command.add("-Dlog4j.configurationFile=" + confDir().resolve("log4j.properties").toUri());
        command.add("-Dlog4j2.configurationFile=" + confDir().resolve("log4j.properties").toUri());
        command.add("-cp");
        // The JVM expands the wildcard itself; no shell is involved.
        command.add(lib + File.separator + "*");
        return command;
    }

    private ProcessHandle launch(String name, String mainClass, List<String> memoryFlags, List<String> dynamicSettings) {
        List<String> command = new ArrayList<>();
        if (detached) {
            // A session of its own, so Ctrl-C in the launching terminal does not reach a cluster meant to
            // outlive the command; setsid execs in place, so the pid stays the JVM's.
            Path setsid = Path.of("/usr/bin/setsid");
            if (Files.isExecutable(setsid)) command.add(setsid.toString());
        }
        command.addAll(javaCommand(memoryFlags, logDir().resolve(name + ".log")));
        command.add(mainClass);
        command.add("--configDir");
        command.add(confDir().toString());
        command.addAll(dynamicSettings);
        Path out = logDir().resolve(name + ".out");
        try {
            Process process = new ProcessBuilder(command)
                    .directory(stateDir.toFile())
                    .redirectErrorStream(true)
                    // A file, not a pipe: nobody reads a pipe once a detached launcher is gone.
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                    .start();
            process.getOutputStream().close();
            if (!detached && shutdownHook == null) {
                shutdownHook = new Thread(this::kill, "flink-cluster-shutdown");
                Runtime.getRuntime().addShutdownHook(shutdownHook);
            }
            return process.toHandle();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the Flink " + name + " JVM: " + command, e);
        }
    }

    private void awaitRest() {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        String lastProblem = "port " + restPort + " not open yet";
        while (System.nanoTime() < deadline) {
            if (!jobManager.isAlive()) throw new IllegalStateException(failure("Flink JobManager exited while starting", "jobmanager"));
            if (KafkaBroker.answers(restPort)) {
                try {
                    getJson("/overview");
                    return;
                } catch (IllegalStateException e) {
                    lastProblem = e.getMessage();
                }
            }
            sleep(250);
        }
        throw new IllegalStateException(failure("Flink JobManager's REST API did not answer within " + startTimeout.toSeconds()
                + " s (" + lastProblem + ")", "jobmanager"));
    }

    private void awaitTaskManager(String name, ProcessHandle started) {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!started.isAlive()) throw new IllegalStateException(failure("Flink " + name + " exited while starting", name));
            if (!jobManager.isAlive()) throw new IllegalStateException(failure("Flink JobManager died", "jobmanager"));
            if (registeredTaskManagers().contains(name)) return;
            sleep(250);
        }
        throw new IllegalStateException(failure("Flink " + name + " did not register within " + startTimeout.toSeconds() + " s", name));
    }

    private String failure(String what, String process) {
        return what + ": " + this + ".\n--- last lines of " + logDir().resolve(process + ".log") + " ---\n"
                + tail(logDir().resolve(process + ".log")) + "--- last lines of " + logDir().resolve(process + ".out") + " ---\n"
                + tail(logDir().resolve(process + ".out"));
    }

    private static String tail(Path file) {
        if (!Files.exists(file)) return "";
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            List<String> all = lines.collect(Collectors.toList());
            return all.subList(Math.max(0, all.size() - LOG_TAIL_LINES), all.size()).stream().map(l -> l + "\n").collect(Collectors.joining());
        } catch (IOException | UncheckedIOException e) {
            return "(unreadable: " + e.getMessage() + ")\n";
        }
    }

    /** Kills everything at once: for failed starts and the shutdown hook, where a clean stop has no use. */
    private void kill() {
        for (ProcessHandle tm : taskManagers) tm.destroyForcibly();
        if (jobManager != null) jobManager.destroyForcibly();
    }

    private void removeShutdownHook() {
        if (shutdownHook == null) return;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or about to; it finds the processes gone.
        }
        shutdownHook = null;
    }

    private static int freePort(int... avoid) {
        for (int i = 0; i < 10; i++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int candidate = socket.getLocalPort();
                if (Arrays.stream(avoid).noneMatch(p -> p == candidate)) return candidate;
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot find a free port on 127.0.0.1", e);
            }
        }
        throw new IllegalStateException("Cannot find a free port on 127.0.0.1");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Flink cluster", e);
        }
    }

    /** Options for a {@link FlinkCluster}; every one has a default. */
    public static final class Builder {
        private Path lib;
        private Path configSource;
        private Path stateDir;
        private int restPort;
        private int taskManagers = 1;
        private Path checkpointsDir;
        private Path savepointsDir;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private Duration startTimeout = Duration.ofSeconds(120);
        private Duration stopTimeout = Duration.ofSeconds(30);
        private boolean detached;

        private Builder() {}

        /** Directory of Flink jars; default {@link FlinkCluster#locateLib()}. */
        public Builder lib(Path lib) {
            this.lib = Objects.requireNonNull(lib);
            return this;
        }

        /** The config.yaml to start from; default {@value FlinkCluster#CONFIG_IN_REPO} in the repository. */
        public Builder config(Path configSource) {
            this.configSource = Objects.requireNonNull(configSource);
            return this;
        }

        /** Where conf/ and log/ go; kept after stop. Default: a temporary directory, deleted on stop. */
        public Builder stateDir(Path stateDir) {
            this.stateDir = Objects.requireNonNull(stateDir);
            return this;
        }

        /** REST and web UI port on 127.0.0.1; 0 (default) picks a free one. */
        public Builder restPort(int restPort) {
            if (restPort < 0 || restPort > 65535) throw new IllegalArgumentException("Not a port: " + restPort);
            this.restPort = restPort;
            return this;
        }

        /** TaskManagers started with the cluster; default 1. */
        public Builder taskManagers(int taskManagers) {
            if (taskManagers < 0) throw new IllegalArgumentException("taskManagers must not be negative: " + taskManagers);
            this.taskManagers = taskManagers;
            return this;
        }

        /** Checkpoint directory; default {@code checkpoints/} in the state directory. */
        public Builder checkpointsDir(Path dir) {
            this.checkpointsDir = Objects.requireNonNull(dir);
            return this;
        }

        /** Default savepoint directory; default {@code savepoints/} in the state directory. */
        public Builder savepointsDir(Path dir) {
            this.savepointsDir = Objects.requireNonNull(dir);
            return this;
        }

        /** A Flink setting over the config file's, e.g. {@code taskmanager.memory.process.size: 1g}. */
        public Builder setting(String key, String value) {
            settings.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        /** How long the JobManager and each TaskManager may take to come up; default 120 s. */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Objects.requireNonNull(startTimeout);
            return this;
        }

        /** How long a clean shutdown may take before SIGKILL; default 30 s. */
        public Builder stopTimeout(Duration stopTimeout) {
            this.stopTimeout = Objects.requireNonNull(stopTimeout);
            return this;
        }

        /** Whether the processes are to outlive this JVM (default false): no shutdown hook, own session. */
        public Builder detached(boolean detached) {
            this.detached = detached;
            return this;
        }

        /** Builds and {@linkplain FlinkCluster#start() starts} the cluster. */
        public FlinkCluster start() {
            return new FlinkCluster(this).start();
        }
    }
}
