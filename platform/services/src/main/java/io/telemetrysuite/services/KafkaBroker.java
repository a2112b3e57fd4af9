package io.telemetrysuite.services;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A real Apache Kafka broker (KRaft, one node acting as broker and controller) running as a child
 * JVM from the official jars in {@code platform/kafka-dist/target/lib}.
 *
 * <p>Tests and the CLI use it instead of Docker or an embedded broker: it is the same server as in
 * production, including the transaction coordinator that exactly-once sinks depend on, and its Scala
 * and server dependencies never meet the caller's classpath. It listens on 127.0.0.1 only.
 *
 * <pre>{@code
 * try (KafkaBroker kafka = KafkaBroker.builder().numPartitions(2).start()) {
 *     kafka.createTopics(Map.of("events", 2));
 *     producerProps.put("bootstrap.servers", kafka.bootstrapServers());
 * }
 * }</pre>
 *
 * <p>Files, all in {@link #dataDir()}: {@code server.properties}, {@code log4j2.properties}, the
 * broker log {@code broker.log}, the JVM's own output {@code broker.out} (crashes before logging is
 * up land there) and the partitions under {@code kafka-logs/}. The storage is formatted only when
 * {@code kafka-logs/meta.properties} is missing, so a broker restarted on the same data directory
 * keeps its topics.
 *
 * <p>Unless {@linkplain Builder#detached(boolean) detached}, the broker is stopped by {@link #stop()}
 * or, at the latest, by a shutdown hook when the starting JVM exits.
 */
public final class KafkaBroker implements AutoCloseable {
    /** System property naming the directory of broker jars; wins over everything else. */
    public static final String LIB_PROPERTY = "telemetry.kafka.lib";
    /** Environment variable naming the directory of broker jars; used when the property is unset. */
    public static final String LIB_ENV = "TELEMETRY_KAFKA_LIB";
    /** Where kafka-dist copies the jars, relative to the repository root. */
    public static final String LIB_IN_REPO = "platform/kafka-dist/target/lib";

    private static final int MAX_PORT_ATTEMPTS = 3;
    private static final int LOG_TAIL_LINES = 40;

    private final Path lib;
    private final int requestedPort;
    private final int requestedControllerPort;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final int numPartitions;
    private final Duration startTimeout;
    private final Duration stopTimeout;
    private final boolean detached;
    private final Map<String, String> extraProperties;

    private Process process;
    private Thread shutdownHook;
    private int port;
    private int controllerPort;
    /** Where this launch's part of the (appended) broker log starts. */
    private long logOffsetAtLaunch;

    private KafkaBroker(Builder b) {
        this.lib = b.lib != null ? checkLib(b.lib.toAbsolutePath(), "the builder") : locateLib();
        this.requestedPort = b.port;
        this.requestedControllerPort = b.controllerPort;
        this.ownsDataDir = b.dataDir == null;
        try {
            this.dataDir = ownsDataDir ? Files.createTempDirectory("kafka-broker-") : b.dataDir.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary data directory for the Kafka broker", e);
        }
        this.numPartitions = b.numPartitions;
        this.startTimeout = b.startTimeout;
        this.stopTimeout = b.stopTimeout;
        this.detached = b.detached;
        this.extraProperties = Map.copyOf(b.extraProperties);
    }

    /** A builder with the defaults: free ports, a temporary data directory, 2 partitions per topic. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The directory holding the broker jars: the system property {@value #LIB_PROPERTY}, else the
     * environment variable {@value #LIB_ENV}, else {@value #LIB_IN_REPO} under the repository root
     * found from {@code user.dir}.
     *
     * @throws IllegalStateException if the directory does not exist or holds no Kafka broker jar
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
        if (!containsBrokerJar(lib)) {
            throw new IllegalStateException("No Kafka broker jars (kafka_2.13-*.jar) in " + lib + " (from " + source
                    + "). Build them with `mvn -pl platform/kafka-dist package` or `./telemetry build`, or point "
                    + LIB_PROPERTY + " / " + LIB_ENV + " at a directory holding them.");
        }
        return lib;
    }

    private static boolean containsBrokerJar(Path dir) {
        if (!Files.isDirectory(dir)) return false;
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().matches("kafka_2\\.13-.*\\.jar"));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Formats the storage if needed, starts the broker and waits until it answers an admin request.
     *
     * @return this broker, running
     * @throws IllegalStateException if it is already started, or does not come up within the start
     *     timeout or dies; the message carries the end of the broker's log
     */
    public synchronized KafkaBroker start() {
        if (process != null) throw new IllegalStateException("Kafka broker already started: " + bootstrapServers());
        // Ports we picked ourselves can be taken by another process between the probe and the broker's
        // bind (other builds run on this machine too): then try fresh ones. When the caller chose a
        // port, a bind failure may well be that port's, so it is reported at once.
        boolean portsPicked = requestedPort == 0 && requestedControllerPort == 0;
        for (int attempt = 1; ; attempt++) {
            port = requestedPort != 0 ? requestedPort : freePort(requestedControllerPort);
            controllerPort = requestedControllerPort != 0 ? requestedControllerPort : freePort(port);
            try {
                writeConfig();
                formatIfNeeded();
                launch();
                awaitReady();
                warmUpCoordinators();
                return this;
            } catch (RuntimeException e) {
                // A broker that failed to come up has nothing worth a clean shutdown. Keep the data
                // directory: the message points into it.
                if (process != null) terminate(process.toHandle(), Duration.ZERO);
                process = null;
                if (!(portsPicked && attempt < MAX_PORT_ATTEMPTS && logMentionsBindFailure())) {
                    removeShutdownHook();
                    throw e;
                }
            }
        }
    }

    /** {@code 127.0.0.1:PORT}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The client (PLAINTEXT) port; 0 before {@link #start()} when it is to be picked. */
    public int port() {
        return port;
    }

    /** The KRaft controller port; 0 before {@link #start()} when it is to be picked. */
    public int controllerPort() {
        return controllerPort;
    }

    /** Where the configuration, the logs and the partitions live. */
    public Path dataDir() {
        return dataDir;
    }

    /** The broker's log4j log. */
    public Path logFile() {
        return dataDir.resolve("broker.log");
    }

    /** The JVM's standard output and error, where failures before logging starts show up. */
    public Path outFile() {
        return dataDir.resolve("broker.out");
    }

    /** The broker's process. */
    public synchronized ProcessHandle process() {
        if (process == null) throw new IllegalStateException("Kafka broker not started");
        return process.toHandle();
    }

    /** Whether the broker's process is alive (not whether it answers). */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Creates topics with replication factor 1 and returns once every partition takes writes. Topics
     * that already exist are left as they are, so tests sharing one broker may all ask for the topics
     * they need.
     *
     * <p>Why wait: the broker announces a new partition's leader in its metadata a moment before it
     * acts as the leader. A producer writing in that moment gets NOT_LEADER_OR_FOLLOWER for its first
     * batch; with idempotence (the default) and several batches in flight, the following batches then
     * get OUT_OF_ORDER_SEQUENCE_NUMBER and are retried until {@code delivery.timeout.ms} (2 min) expires
     * them: records lost at the producer, which a test that does not check every send never notices
     * (SamplingAcrossRestartTest lost 99 and 822 of 3,000 input records this way under load). List-offsets
     * requests are answered by the acting leader only, so one that succeeds for every partition means
     * the partitions take writes.
     *
     * @param partitions partition count by topic name
     */
    public void createTopics(Map<String, Integer> partitions) {
        List<NewTopic> topics = partitions.entrySet().stream()
                .map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1))
                .collect(Collectors.toList());
        try (Admin admin = admin()) {
            for (var result : admin.createTopics(topics).values().entrySet()) {
                try {
                    result.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic " + result.getKey() + " on "
                                + bootstrapServers() + ": " + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
            awaitLeaders(admin, partitions.keySet());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics " + partitions.keySet(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out creating topics " + partitions.keySet() + " on " + bootstrapServers(), e);
        }
    }

    /** Waits until the leader of every partition of {@code topics} answers a list-offsets request (see {@link #createTopics}). */
    private void awaitLeaders(Admin admin, Collection<String> topics) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
                admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((name, description) ->
                        description.partitions().forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
                // The admin client retries NOT_LEADER_OR_FOLLOWER on its own, within its default API timeout.
                admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The partitions of " + topics + " on " + bootstrapServers()
                            + " have no acting leader after 60 s: " + e.getCause().getMessage(), e.getCause());
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * Every committed record of {@code topic}, as a {@code read_committed} consumer sees it once every
     * transaction on the topic is decided. A finished exactly-once job's last commit is not visible at
     * once: the coordinator writes the commit markers into the partitions after the producer's commit
     * returns, and until then the last stable offset stops short of the transaction. So this waits
     * (up to {@code timeout}) until each partition's last stable offset reaches its high watermark, then
     * reads up to it. A transaction still open after the timeout is refused with what the coordinator
     * knows of it: a read that silently stopped short of it would look like lost records.
     */
    public List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> end;
        try (Admin admin = admin()) {
            List<TopicPartition> partitions = new ArrayList<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            while (true) {
                end = latestOffsets(admin, partitions, IsolationLevel.READ_COMMITTED);
                Map<TopicPartition, Long> highWatermarks = latestOffsets(admin, partitions, IsolationLevel.READ_UNCOMMITTED);
                if (end.equals(highWatermarks)) break;
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Transactions on " + topic + " still open after " + timeout.toSeconds()
                            + " s: last stable offsets " + end + ", high watermarks " + highWatermarks + "; open: "
                            + openTransactions(admin, topic));
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot read the offsets of " + topic + " on " + bootstrapServers(), e);
        }
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            consumer.assign(end.keySet());
            consumer.seekToBeginning(end.keySet());
            Map<TopicPartition, Long> stop = end;
            while (stop.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline + Duration.ofSeconds(30).toNanos()) {
                    throw new IllegalStateException("Timed out reading " + topic + " up to " + stop);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** The ongoing transactions that write to {@code topic}: id, producer, state, start, partitions. */
    private static List<String> openTransactions(Admin admin, String topic) throws InterruptedException {
        List<String> open = new ArrayList<>();
        try {
            List<String> ids = admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
                    .map(listing -> listing.transactionalId()).toList();
            admin.describeTransactions(ids).all().get(30, TimeUnit.SECONDS).forEach((id, description) -> {
                if (description.topicPartitions().stream().anyMatch(p -> p.topic().equals(topic))) {
                    open.add(id + " (producer " + description.producerId() + ", epoch " + description.producerEpoch() + ", "
                            + description.state() + " since " + java.time.Instant.ofEpochMilli(description.transactionStartTimeMs().orElse(0L))
                            + ", " + description.topicPartitions() + ")");
                }
            });
        } catch (ExecutionException | TimeoutException e) {
            open.add("(cannot describe the transactions: " + e + ")");
        }
        return open;
    }

    private static Map<TopicPartition, Long> latestOffsets(Admin admin, List<TopicPartition> partitions, IsolationLevel isolation)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(isolation)).all().get(30, TimeUnit.SECONDS)
                .forEach((p, info) -> offsets.put(p, info.offset()));
        return offsets;
    }

    /** A new admin client for this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    /**
     * Stops the broker: SIGTERM for a clean shutdown, then SIGKILL after the stop timeout. Deletes the
     * data directory if it was a temporary one. Does nothing if not running.
     */
    public synchronized void stop() {
        destroyProcess();
        removeShutdownHook();
        if (ownsDataDir) deleteRecursively(dataDir);
    }

    /** Same as {@link #stop()}, so that try-with-resources and JUnit's store can stop the broker. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "KafkaBroker[" + bootstrapServers() + ", controller " + controllerPort + ", " + dataDir + "]";
    }

    /**
     * Ends a process gracefully (SIGTERM), then forcibly once {@code timeout} has passed.
     *
     * @return true if it ended within the timeout (false: it had to be killed)
     */
    static boolean terminate(ProcessHandle handle, Duration timeout) {
        if (!handle.isAlive()) return true;
        handle.destroy();
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            handle.destroyForcibly();
        } catch (InterruptedException e) {
            handle.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            handle.onExit().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // SIGKILL was sent; nothing more can be done from here.
        }
        return false;
    }

    /** Whether something accepts TCP connections on 127.0.0.1:{@code port}. */
    static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether {@code port} can be bound on 127.0.0.1 right now. */
    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
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

    private Path serverProperties() {
        return dataDir.resolve("server.properties");
    }

    private Path log4jConfig() {
        return dataDir.resolve("log4j2.properties");
    }

    private Path kafkaLogs() {
        return dataDir.resolve("kafka-logs");
    }

    private void writeConfig() {
        Map<String, String> server = new LinkedHashMap<>();
        server.put("process.roles", "broker,controller");
        server.put("node.id", "1");
        server.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        server.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        server.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        server.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        server.put("inter.broker.listener.name", "PLAINTEXT");
        server.put("controller.listener.names", "CONTROLLER");
        server.put("log.dirs", kafkaLogs().toString());
        server.put("num.partitions", Integer.toString(numPartitions));
        server.put("auto.create.topics.enable", "true");
        // One node: every internal topic must make do with one replica.
        server.put("offsets.topic.replication.factor", "1");
        server.put("offsets.topic.min.isr", "1");
        server.put("transaction.state.log.replication.factor", "1");
        server.put("transaction.state.log.min.isr", "1");
        server.put("share.coordinator.state.topic.replication.factor", "1");
        server.put("share.coordinator.state.topic.min.isr", "1");
        // Fewer internal partitions than the default 50: the first consumer group or transactional
        // producer waits for all of them to be created, which takes seconds on a small machine.
        server.put("offsets.topic.num.partitions", "4");
        server.put("transaction.state.log.num.partitions", "4");
        // Consumers get their partitions at once instead of after the 3 s default delay.
        server.put("group.initial.rebalance.delay.ms", "0");
        // Flink's KafkaSink asks for transaction.timeout.ms = 1 h by default; the broker's default
        // ceiling (15 min) would reject it.
        server.put("transaction.max.timeout.ms", "3600000");
        server.putAll(extraProperties);

        Path log = logFile();
        Map<String, String> log4j = new LinkedHashMap<>();
        log4j.put("status", "warn");
        log4j.put("appender.file.type", "RollingFile");
        log4j.put("appender.file.name", "file");
        log4j.put("appender.file.fileName", log.toString());
        log4j.put("appender.file.filePattern", log + ".%i");
        log4j.put("appender.file.layout.type", "PatternLayout");
        log4j.put("appender.file.layout.pattern", "[%d] %p %m (%c)%n");
        log4j.put("appender.file.policies.type", "Policies");
        log4j.put("appender.file.policies.size.type", "SizeBasedTriggeringPolicy");
        log4j.put("appender.file.policies.size.size", "20MB");
        log4j.put("appender.file.strategy.type", "DefaultRolloverStrategy");
        log4j.put("appender.file.strategy.max", "3");
        log4j.put("rootLogger.level", "INFO");
        log4j.put("rootLogger.appenderRef.file.ref", "file");
        try {
            Files.createDirectories(dataDir);
            writeProperties(serverProperties(), "Kafka broker configuration, written by " + getClass().getName(), server);
            writeProperties(log4jConfig(), "Kafka broker logging, written by " + getClass().getName(), log4j);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the Kafka broker configuration to " + dataDir, e);
        }
    }

    /** Writes properties in the given order (Properties.store would scramble it); escapes backslashes. */
    private static void writeProperties(Path file, String comment, Map<String, String> values) throws IOException {
        StringBuilder text = new StringBuilder("# ").append(comment).append('\n');
        values.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private void formatIfNeeded() {
        if (Files.exists(kafkaLogs().resolve("meta.properties"))) return;
        List<String> command = javaCommand();
        command.addAll(List.of("kafka.tools.StorageTool", "format",
                "-t", Uuid.randomUuid().toString(), "-c", serverProperties().toString()));
        try {
            Process format = new ProcessBuilder(command).redirectErrorStream(true).start();
            format.getOutputStream().close();
            String output;
            try (InputStream in = format.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!format.waitFor(60, TimeUnit.SECONDS)) {
                format.destroyForcibly();
                throw new IllegalStateException("Formatting Kafka storage in " + kafkaLogs() + " took over 60 s:\n" + output);
            }
            if (format.exitValue() != 0) {
                throw new IllegalStateException("Formatting Kafka storage in " + kafkaLogs() + " failed (exit "
                        + format.exitValue() + "):\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run the Kafka storage tool from " + lib, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while formatting Kafka storage in " + kafkaLogs(), e);
        }
    }

    private List<String> javaCommand() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms128m");
        command.add("-Xmx512m");
        command.add("-Djava.awt.headless=true");
        command.add("-Dlog4j2.configurationFile=" + log4jConfig().toUri());
        command.add("-cp");
        // The JVM expands the wildcard itself; no shell is involved, so no quoting is needed.
        command.add(lib + File.separator + "*");
        return command;
    }

    private void launch() {
        List<String> command = new ArrayList<>();
        if (detached) {
            // A session of its own, so that Ctrl-C or a hangup aimed at the launching terminal's
            // process group does not reach a broker meant to outlive the launcher. setsid execs the
            // JVM in place (it is not a group leader when Java spawns it), so the pid stays the broker's.
            Path setsid = Path.of("/usr/bin/setsid");
            if (Files.isExecutable(setsid)) command.add(setsid.toString());
        }
        command.addAll(javaCommand());
        command.add("kafka.Kafka");
        command.add(serverProperties().toString());
        try {
            logOffsetAtLaunch = Files.exists(logFile()) ? Files.size(logFile()) : 0;
            Files.writeString(outFile(), "", StandardCharsets.UTF_8);
            process = new ProcessBuilder(command)
                    .directory(dataDir.toFile())
                    .redirectErrorStream(true)
                    // A file, not a pipe: nobody reads a pipe once the launcher is gone, and a full
                    // pipe would block the broker.
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(outFile().toFile()))
                    .start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the Kafka broker JVM: " + command, e);
        }
        if (!detached && shutdownHook == null) {
            shutdownHook = new Thread(() -> {
                destroyProcess();
                if (ownsDataDir) deleteRecursively(dataDir);
            }, "kafka-broker-shutdown-" + port);
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /**
     * Creates the internal topics behind the transaction and group coordinators now, with one empty
     * transaction and one offset commit, so the first exactly-once job does not pay for it: on a busy
     * machine the first {@code initTransactions} could otherwise run into its timeout while
     * {@code __transaction_state} is still being created, and fail that job's first attempt.
     */
    private void warmUpCoordinators() {
        Properties producerProps = new Properties();
        producerProps.put("bootstrap.servers", bootstrapServers());
        producerProps.put("transactional.id", "telemetry-suite-warm-up");
        producerProps.put("key.serializer", ByteArraySerializer.class.getName());
        producerProps.put("value.serializer", ByteArraySerializer.class.getName());
        producerProps.put("max.block.ms", Long.toString(startTimeout.toMillis()));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.commitTransaction();
        }
        try (Admin admin = admin()) {
            admin.alterConsumerGroupOffsets("telemetry-suite-warm-up", Map.of()).all().get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka broker on " + bootstrapServers() + " started but its group coordinator did not answer: " + e.getMessage(), e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        String lastProblem = "port " + port + " not open yet";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(failure("Kafka broker exited with code " + process.exitValue() + " while starting"));
            }
            // Probe the socket first: an admin client pointed at a closed port logs a warning per retry.
            if (answers(port)) {
                Admin admin = admin();
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) return;
                    lastProblem = "the cluster reported no nodes";
                } catch (ExecutionException | TimeoutException e) {
                    lastProblem = "describeCluster failed: " + e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
                } finally {
                    // Not a plain close(): it waits for the unanswered call to time out (30 s), which is
                    // what happens when something other than our broker holds the port.
                    admin.close(Duration.ZERO);
                }
            }
            sleep(200);
        }
        throw new IllegalStateException(failure("Kafka broker did not answer within " + startTimeout.toSeconds()
                + " s (" + lastProblem + ")"));
    }

    private String failure(String what) {
        // The cause is usually an ERROR far above the last lines, which are the shutdown that followed it.
        return what + ": " + this + ", pid " + process.pid() + ".\n--- first errors in " + logFile() + " ---\n"
                + firstErrors() + "--- last lines of " + logFile() + " ---\n" + tail(logFile())
                + "--- last lines of " + outFile() + " ---\n" + tail(outFile());
    }

    /**
     * The first ERROR/FATAL lines this launch wrote (a restarted broker appends to the old log), each
     * with the exception line that follows it, which usually names the actual problem.
     */
    private String firstErrors() {
        List<String> lines = logSinceLaunch().lines().collect(Collectors.toList());
        StringBuilder errors = new StringBuilder();
        int found = 0;
        for (int i = 0; i < lines.size() && found < 5; i++) {
            String line = lines.get(i);
            if (!line.contains("] ERROR ") && !line.contains("] FATAL ")) continue;
            errors.append(line).append('\n');
            if (i + 1 < lines.size() && !lines.get(i + 1).startsWith("[")) errors.append(lines.get(i + 1)).append('\n');
            found++;
        }
        return errors.toString();
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
        String text = logSinceLaunch() + tail(outFile());
        return text.contains("Address already in use") || text.contains("BindException");
    }

    private static String tail(Path file) {
        List<String> lines = readLines(file);
        return lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()).stream()
                .map(l -> l + "\n")
                .collect(Collectors.joining());
    }

    private static List<String> readLines(Path file) {
        if (!Files.exists(file)) return List.of();
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.collect(Collectors.toList());
        } catch (IOException | UncheckedIOException e) {
            return List.of("(unreadable: " + e.getMessage() + ")");
        }
    }

    private synchronized void destroyProcess() {
        if (process != null) terminate(process.toHandle(), stopTimeout);
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

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A leftover temporary directory is harmless; failing the caller's shutdown over it is not.
            System.err.println("Could not delete Kafka data directory " + dir + ": " + e);
        }
    }

    /** Options for a {@link KafkaBroker}; every one has a default. */
    public static final class Builder {
        private Path lib;
        private int port;
        private int controllerPort;
        private Path dataDir;
        private int numPartitions = 2;
        private Duration startTimeout = Duration.ofSeconds(60);
        private Duration stopTimeout = Duration.ofSeconds(30);
        private boolean detached;
        private final Map<String, String> extraProperties = new LinkedHashMap<>();

        private Builder() {}

        /** Directory of broker jars; default {@link KafkaBroker#locateLib()}. */
        public Builder lib(Path lib) {
            this.lib = Objects.requireNonNull(lib);
            return this;
        }

        /** Client (PLAINTEXT) port on 127.0.0.1; 0 (default) picks a free one. */
        public Builder port(int port) {
            this.port = checkPort(port);
            return this;
        }

        /** KRaft controller port on 127.0.0.1; 0 (default) picks a free one. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = checkPort(controllerPort);
            return this;
        }

        /**
         * Where configuration, logs and partitions go; kept after {@link KafkaBroker#stop()}. Default: a
         * temporary directory, deleted on stop.
         */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir);
            return this;
        }

        /** Partitions of automatically created topics ({@code num.partitions}); default 2. */
        public Builder numPartitions(int numPartitions) {
            if (numPartitions < 1) throw new IllegalArgumentException("numPartitions must be at least 1: " + numPartitions);
            this.numPartitions = numPartitions;
            return this;
        }

        /** How long {@link KafkaBroker#start()} waits for the broker to answer; default 60 s. */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Objects.requireNonNull(startTimeout);
            return this;
        }

        /** How long a clean shutdown may take before the process is killed; default 30 s. */
        public Builder stopTimeout(Duration stopTimeout) {
            this.stopTimeout = Objects.requireNonNull(stopTimeout);
            return this;
        }

        /**
         * Whether the broker is to outlive this JVM (default false): then no shutdown hook is
         * registered and the broker runs in a session of its own. Used by {@link KafkaBrokerDaemon}.
         */
        public Builder detached(boolean detached) {
            this.detached = detached;
            return this;
        }

        /** Any further broker setting, or an override of one set here. */
        public Builder property(String key, String value) {
            extraProperties.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        /** The configured broker, not yet started. */
        public KafkaBroker build() {
            return new KafkaBroker(this);
        }

        /** Builds and {@linkplain KafkaBroker#start() starts} the broker. */
        public KafkaBroker start() {
            return build().start();
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("Not a port: " + port);
            return port;
        }
    }
}
