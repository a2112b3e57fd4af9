package io.telemetrysuite.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What {@link PrometheusServer} and {@link AlertmanagerServer} share: a native server binary started
 * as a child process on a loopback port, configured by a generated file in its data directory,
 * waited for until its readiness endpoint answers, and stopped by SIGTERM (SIGKILL after the stop
 * timeout) from {@link #stop()} or, at the latest, a shutdown hook.
 *
 * <p>Like {@link KafkaBroker}: ports it picked itself are retried when something else took them
 * between the probe and the bind; a temporary data directory is deleted on stop, one the caller
 * named is kept, so a server can be started again on the same data (and the same port).
 */
public abstract class LocalServer implements AutoCloseable {
    private static final int MAX_PORT_ATTEMPTS = 3;
    private static final int LOG_TAIL_LINES = 40;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String displayName;
    private final String fileStem;
    private final Path binary;
    private final int requestedPort;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final Duration startTimeout;
    private final Duration stopTimeout;
    private final List<String> extraArgs;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Process process;
    private Thread shutdownHook;
    private int port;
    private long logOffsetAtLaunch;

    LocalServer(String displayName, String fileStem, Path binary, int port, Path dataDir, Duration startTimeout,
                Duration stopTimeout, List<String> extraArgs) {
        this.displayName = displayName;
        this.fileStem = fileStem;
        this.binary = binary;
        this.requestedPort = port;
        this.port = port;
        this.ownsDataDir = dataDir == null;
        try {
            this.dataDir = ownsDataDir ? Files.createTempDirectory(fileStem + "-") : dataDir.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary data directory for " + displayName, e);
        }
        this.startTimeout = startTimeout;
        this.stopTimeout = stopTimeout;
        this.extraArgs = List.copyOf(extraArgs);
    }

    /**
     * The binary to run: the builder's, else the system property's, else the Debian location.
     *
     * @throws IllegalStateException if it is not an executable file, saying how to install it
     */
    static Path resolveBinary(Path fromBuilder, String property, String defaultPath, String debianPackage) {
        String source;
        Path path;
        if (fromBuilder != null) {
            path = fromBuilder;
            source = "the builder";
        } else if (System.getProperty(property) != null && !System.getProperty(property).isBlank()) {
            path = Path.of(System.getProperty(property));
            source = "system property " + property;
        } else {
            path = Path.of(defaultPath);
            source = "the default location";
        }
        if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
            throw new IllegalStateException(debianPackage + " binary not found: " + path + " (from " + source
                    + ") is not an executable file. Run deploy/install-prerequisites.sh (it installs the Debian package "
                    + debianPackage + "), or set -D" + property + " to the binary.");
        }
        return path.toAbsolutePath();
    }

    /** The command-line arguments after the binary; {@link #port()} and {@link #dataDir()} are set. */
    protected abstract List<String> arguments();

    /** The text of the configuration file, written to the data directory before each start. */
    protected abstract String config();

    /** The configuration file's path. */
    protected abstract Path configFile();

    /** GET this until it answers 200: the server is ready. */
    protected abstract URI readinessUri();

    /**
     * Writes the configuration, starts the server and waits until it is ready.
     *
     * @return this server, running
     * @throws IllegalStateException if it is already started, exits, or is not ready within the start
     *     timeout; the message carries the end of its log
     */
    public synchronized LocalServer start() {
        if (process != null) throw new IllegalStateException(displayName + " already started: " + url());
        for (int attempt = 1; ; attempt++) {
            port = requestedPort != 0 ? requestedPort : freePort();
            try {
                writeConfig();
                launch();
                awaitReady();
                return this;
            } catch (RuntimeException e) {
                if (process != null) KafkaBroker.terminate(process.toHandle(), Duration.ZERO);
                process = null;
                if (!(requestedPort == 0 && attempt < MAX_PORT_ATTEMPTS && logMentionsBindFailure())) {
                    removeShutdownHook();
                    throw e;
                }
            }
        }
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The HTTP port; 0 before {@link #start()} when it is to be picked. */
    public int port() {
        return port;
    }

    /** Where the configuration, the log and the server's storage live. */
    public Path dataDir() {
        return dataDir;
    }

    /** The server's standard output and error (appended to across restarts). */
    public Path logFile() {
        return dataDir.resolve(fileStem + ".log");
    }

    /** Whether the server's process is alive (not whether it answers). */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The server's process. */
    public synchronized ProcessHandle process() {
        if (process == null) throw new IllegalStateException(displayName + " not started");
        return process.toHandle();
    }

    /**
     * Stops the server: SIGTERM, then SIGKILL after the stop timeout. Deletes the data directory if it
     * was a temporary one. Does nothing if not running.
     */
    public synchronized void stop() {
        if (process != null) KafkaBroker.terminate(process.toHandle(), stopTimeout);
        process = null;
        removeShutdownHook();
        if (ownsDataDir) deleteRecursively(dataDir);
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + url() + ", " + dataDir + "]";
    }

    /**
     * GET {@code pathAndQuery} from this server and parse the body as JSON, whatever the status
     * (Prometheus' API puts its errors in JSON too).
     */
    protected JsonNode getJson(String pathAndQuery) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url() + pathAndQuery)).GET());
        return parse(pathAndQuery, response);
    }

    /** POST a JSON body; returns the response (status and body as text). */
    protected HttpResponse<String> postJson(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(url() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
    }

    /** Parses a response body as JSON; the error names the request and shows the body. */
    protected JsonNode parse(String what, HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(displayName + " " + what + " answered " + response.statusCode()
                    + " with a body that is not JSON: " + response.body(), e);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(displayName + " at " + url() + " did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while calling " + displayName, e);
        }
    }

    private void writeConfig() {
        try {
            Files.createDirectories(dataDir);
            Files.writeString(configFile(), config(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the " + displayName + " configuration to " + dataDir, e);
        }
    }

    private void launch() {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(arguments());
        command.addAll(extraArgs);
        try {
            logOffsetAtLaunch = Files.exists(logFile()) ? Files.size(logFile()) : 0;
            process = new ProcessBuilder(command)
                    .directory(dataDir.toFile())
                    .redirectErrorStream(true)
                    // A file, not a pipe: a pipe nobody reads fills up and blocks the server.
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + displayName + ": " + command, e);
        }
        if (shutdownHook == null) {
            shutdownHook = new Thread(() -> {
                Process p = process;
                if (p != null) KafkaBroker.terminate(p.toHandle(), stopTimeout);
                if (ownsDataDir) deleteRecursively(dataDir);
            }, fileStem + "-shutdown-" + port);
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        String lastProblem = "port " + port + " not open yet";
        HttpRequest ready = HttpRequest.newBuilder(readinessUri()).timeout(Duration.ofSeconds(2)).GET().build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(failure(displayName + " exited with code " + process.exitValue() + " while starting"));
            }
            if (KafkaBroker.answers(port)) {
                try {
                    HttpResponse<String> response = http.send(ready, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) return;
                    lastProblem = readinessUri() + " answered " + response.statusCode() + ": " + response.body().strip();
                } catch (IOException e) {
                    lastProblem = readinessUri() + ": " + e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for " + displayName, e);
                }
            }
            sleep(100);
        }
        throw new IllegalStateException(failure(displayName + " was not ready within " + startTimeout.toSeconds()
                + " s (" + lastProblem + ")"));
    }

    private String failure(String what) {
        return what + ": " + this + ", pid " + process.pid() + ".\n--- last lines of " + logFile() + " ---\n"
                + tail(logSinceLaunch());
    }

    private String logSinceLaunch() {
        try (InputStream in = Files.newInputStream(logFile())) {
            in.skipNBytes(logOffsetAtLaunch);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private boolean logMentionsBindFailure() {
        return logSinceLaunch().contains("address already in use");
    }

    private static String tail(String text) {
        List<String> lines = text.lines().collect(Collectors.toList());
        return lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()).stream()
                .map(l -> l + "\n")
                .collect(Collectors.joining());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port on 127.0.0.1", e);
        }
    }

    private void removeShutdownHook() {
        if (shutdownHook == null) return;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or about to; it finds the process gone.
        }
        shutdownHook = null;
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + displayName, e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A leftover temporary directory is harmless; failing the caller's shutdown over it is not.
            System.err.println("Could not delete data directory " + dir + ": " + e);
        }
    }

    /** Options shared by the servers' builders. */
    public abstract static class BuilderBase<B extends BuilderBase<B>> {
        Path binary;
        int port;
        Path dataDir;
        Duration startTimeout = Duration.ofSeconds(60);
        Duration stopTimeout = Duration.ofSeconds(30);
        final List<String> extraArgs = new ArrayList<>();

        BuilderBase() {}

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /** The binary to run; default the system property, else the Debian package's. */
        public B binary(Path binary) {
            this.binary = Objects.requireNonNull(binary);
            return self();
        }

        /** HTTP port on 127.0.0.1; 0 (default) picks a free one. */
        public B port(int port) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("Not a port: " + port);
            this.port = port;
            return self();
        }

        /** Where configuration, log and storage go; kept after stop. Default: a temporary directory, deleted on stop. */
        public B dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir);
            return self();
        }

        /** How long start waits for readiness; default 60 s. */
        public B startTimeout(Duration startTimeout) {
            this.startTimeout = Objects.requireNonNull(startTimeout);
            return self();
        }

        /** How long a clean shutdown may take before the process is killed; default 30 s. */
        public B stopTimeout(Duration stopTimeout) {
            this.stopTimeout = Objects.requireNonNull(stopTimeout);
            return self();
        }

        /** A further command-line flag, e.g. {@code --log.level=debug}. */
        public B arg(String flag) {
            extraArgs.add(Objects.requireNonNull(flag));
            return self();
        }
    }
}
