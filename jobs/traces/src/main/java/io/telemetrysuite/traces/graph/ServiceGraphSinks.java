package io.telemetrysuite.traces.graph;

import io.telemetrysuite.ingest.sink.JsonLinesFileSink;
import io.telemetrysuite.model.ServiceGraphEdge;
import io.telemetrysuite.model.Trace;
import java.nio.file.Path;
import javax.annotation.Nullable;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The service graph wired with its outputs, as the trace job and {@code ./telemetry run traces} need
 * it: one call from the assembled traces to the Prometheus sink and the {@code service-graph.jsonl} file.
 */
public final class ServiceGraphSinks {
    public static final String PROMETHEUS_SINK_UID = "service-graph-sink-prometheus";
    public static final String JSON_LINES_SINK_UID = "service-graph-sink-jsonl";

    private ServiceGraphSinks() {}

    /**
     * Builds {@link ServiceGraphStage} on {@code traces} (every assembled trace and late fragment, before
     * tail sampling), remote-writes its series to Prometheus when {@code prometheusRemoteWriteUrl} is
     * set, and writes the final per-edge lines to {@code jsonLinesFile} when that is set (bounded runs:
     * the lines are written at the end of input). Returns the series stream.
     */
    public static DataStream<ServiceGraphEdge> attach(DataStream<Trace> traces, ServiceGraphConfig config,
                                                      @Nullable String prometheusRemoteWriteUrl, @Nullable Path jsonLinesFile) {
        DataStream<ServiceGraphEdge> series = ServiceGraphStage.build(traces, config);
        if (prometheusRemoteWriteUrl != null) {
            series.sinkTo(ServiceGraphSeries.sink(prometheusRemoteWriteUrl)).uid(PROMETHEUS_SINK_UID).name("Service graph: Prometheus");
        }
        if (jsonLinesFile != null) {
            // One file, so one writer.
            ServiceGraphJsonLines.finalEdges(series)
                    .sinkTo(new JsonLinesFileSink<>(jsonLinesFile)).setParallelism(1).uid(JSON_LINES_SINK_UID).name("Service graph: jsonl");
        }
        return series;
    }
}
