package io.telemetrysuite.cli;

import io.telemetrysuite.services.RepoLayout;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./telemetry demo}: runs the {@link Demo} until Ctrl-C (or {@code --seconds}), printing the
 * addresses, every committed alert and a progress line every 10 s.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole suite locally: Kafka, Prometheus, Alertmanager, a Flink MiniCluster with web UI, "
                + "a synthetic workload whose injected anomalies fire every rule in cep-rules/ within two minutes, every job.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--rest-port", defaultValue = "8081", description = "Flink web UI port (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int restPort;

    @Option(names = "--traces-per-second", defaultValue = "20",
            description = "Synthetic traces per second in all, before the periodic load shape and bursts (default: ${DEFAULT-VALUE}:"
                    + " what a loaded 2-core machine replays at 10x and keeps up with).")
    double tracesPerSecond;

    @Option(names = "--sampling", defaultValue = "on", description = "Ingest sampling on|off (default: ${DEFAULT-VALUE}).")
    String sampling;

    @Option(names = "--seconds", defaultValue = "0", description = "Stop after this many seconds (default: run until Ctrl-C).")
    long seconds;

    @Override
    public Integer call() throws Exception {
        Demo.Options options = Demo.Options.forRepo(RepoLayout.root());
        options.restPort = restPort;
        options.tracesPerSecond = tracesPerSecond;
        options.sampling = !"off".equalsIgnoreCase(sampling);
        Demo demo = Demo.start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nstopping ...");
            demo.close();
        }));
        System.out.println("Ctrl-C stops everything.");
        demo.follow(() -> seconds == 0 || System.currentTimeMillis() - demo.startedMillis < seconds * 1000);
        // The shutdown hook stops the cluster and the services; Flink's and Kafka's non-daemon threads would keep the JVM up.
        System.exit(0);
        return 0;
    }
}
