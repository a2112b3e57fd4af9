package io.telemetrysuite.cli.cluster;

import io.telemetrysuite.services.FlinkClusterDaemon;
import picocli.CommandLine.Option;

/** {@code --rest URL}: which cluster a command talks to; by default the one {@code ./telemetry cluster start} runs. */
public final class ClusterTarget {
    @Option(names = "--rest", paramLabel = "URL",
            description = "The Flink REST API (default: the cluster of `./telemetry cluster start`).")
    String rest;

    /** The REST client for the chosen cluster; says how to start one when none runs. */
    public FlinkRest rest() {
        if (rest != null) return new FlinkRest(rest);
        FlinkClusterDaemon.Status status = FlinkClusterDaemon.forRepo().status();
        if (!status.running()) {
            throw new IllegalStateException(status.describe());
        }
        return new FlinkRest(status.restUrl());
    }
}
