package io.telemetrysuite.traces.graph;

import static io.telemetrysuite.traces.graph.GraphTraces.MS;
import static io.telemetrysuite.traces.graph.GraphTraces.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.ingest.IngestJob;
import io.telemetrysuite.json.EventJson;
import io.telemetrysuite.model.ServiceGraphEdge;
import io.telemetrysuite.model.Trace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service-graph stage on a MiniCluster at parallelism 2 with generic types off, bounded: exact
 * final totals of a known topology (the end of input emits them), the {@code service-graph.jsonl}
 * lines through the sink the run uses, and the event-time emission rules.
 */
class ServiceGraphStageTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @TempDir Path dir;

    @Test
    void aKnownTopologyGivesExactSeriesTotalsAndJsonLines() throws Exception {
        StreamExecutionEnvironment env = environment();
        DataStream<Trace> traces = env.fromData(KnownTopology.traces(T0), TypeInformation.of(Trace.class)).setParallelism(1)
                .assignTimestampsAndWatermarks(perEventWatermarks((Trace t, long previous) -> t.endTimeUnixNano / MS)).setParallelism(1);
        Path file = dir.resolve(ServiceGraphJsonLines.FILE);
        DataStream<ServiceGraphEdge> series = ServiceGraphSinks.attach(traces, ServiceGraphConfig.defaults(), null, file);

        List<ServiceGraphEdge> emitted = collect(env, series);

        // The last emission of each series is its total.
        Map<String, ServiceGraphEdge> last = new LinkedHashMap<>();
        for (ServiceGraphEdge e : emitted) last.put(e.client + " -> " + e.server + " " + e.connectionType + " failed=" + e.failedSeries, e);
        assertThat(last).hasSize(10);
        ServiceGraphEdge ok = last.get("frontend -> checkout  failed=false");
        assertThat(ok.requests).isEqualTo(24);
        assertThat(ok.failed).isZero();
        // Client 110 ms and server 100 ms each time: buckets le=0.2 and le=0.1 (index 7 and 6).
        assertThat(ok.clientBucketCounts).containsExactly(0, 0, 0, 0, 0, 0, 0, 24, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(ok.serverBucketCounts).containsExactly(0, 0, 0, 0, 0, 0, 24, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(ok.clientSecondsSum).isCloseTo(24 * 0.110, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(ok.serverSecondsSum).isCloseTo(24 * 0.100, org.assertj.core.data.Offset.offset(1e-9));
        ServiceGraphEdge failed = last.get("frontend -> checkout  failed=true");
        assertThat(failed.requests).isEqualTo(6);
        assertThat(failed.failed).isEqualTo(6);
        assertThat(last.get("frontend -> search virtual_node failed=false").requests).isEqualTo(1);
        assertThat(last.get("checkout -> unknown virtual_node failed=false").requests).isEqualTo(30);

        // Emissions of a series are cumulative, in event-time order, one per 10 s at most: 24 requests over 58 s.
        List<ServiceGraphEdge> frontendOk = emitted.stream()
                .filter(e -> e.client.equals("frontend") && e.server.equals("checkout") && !e.failedSeries).toList();
        assertThat(frontendOk.size()).isBetween(2, 6);
        for (int i = 1; i < frontendOk.size(); i++) {
            assertThat(frontendOk.get(i).timestampMillis).isGreaterThan(frontendOk.get(i - 1).timestampMillis);
            assertThat(frontendOk.get(i).requests).isGreaterThan(frontendOk.get(i - 1).requests);
        }
        // The latest request counted, checkout trace 29, ends at 58.120 s. At parallelism 2 one channel may run
        // ahead of the other, so an emission can already hold a later request than a following one brings;
        // each such emission moves 1 ms past the previous instead of repeating its timestamp.
        assertThat(ok.timestampMillis).isBetween(T0 / MS + 58_120, T0 / MS + 58_120 + frontendOk.size() - 1);

        assertThat(ServiceGraphJsonLines.finalEdges(emitted)).extracting(GraphTraces::describe)
                .containsExactlyElementsOf(KnownTopology.EXPECTED_LINES);
        List<String> lines = Files.readAllLines(file);
        List<String> described = new ArrayList<>();
        for (String line : lines) {
            ServiceGraphEdge e = EventJson.fromLine(line, ServiceGraphEdge.class);
            assertThat(line).contains("\"client\"", "\"server\"", "\"connectionType\"", "\"requests\"", "\"failed\"");
            described.add(GraphTraces.describe(e));
        }
        assertThat(described).containsExactlyInAnyOrderElementsOf(KnownTopology.EXPECTED_LINES);
    }

    @Test
    void aSeriesIsEmittedOncePerIntervalOfEventTimeAndALateRequestNeverRepeatsATimestamp() throws Exception {
        ServiceGraphConfig config = ServiceGraphConfig.defaults().withFlushInterval(Duration.ofSeconds(10)).withStaleAfter(Duration.ofMinutes(1));
        long t0 = T0 / MS;
        List<ServiceGraphEdge> requests = List.of(
                request("a", "b", 1_000), request("a", "b", 3_000),
                request("c", "d", 5_000),
                request("a", "b", 12_000),      // watermark 11.999 s: a->b (3 requests) and c->d (1) are emitted
                request("c", "d", 4_000),       // late: c->d again at 5 s, so at 5.001 s
                request("a", "b", 25_000), request("a", "b", 26_000),
                request("e", "f", 27_000),      // forgotten a minute after its last request...
                request("x", "y", 100_000),     // (watermark 99.999 s)
                request("e", "f", 105_000));    // ...so it starts again from 1
        StreamExecutionEnvironment env = environment();
        DataStream<ServiceGraphEdge> in = env.fromData(offset(requests, t0), TypeInformation.of(ServiceGraphEdge.class)).setParallelism(1)
                .assignTimestampsAndWatermarks(perEventWatermarks((ServiceGraphEdge e, long previous) -> e.timestampMillis)).setParallelism(1);
        List<ServiceGraphEdge> out = collect(env, ServiceGraphStage.seriesTotals(in, config));

        assertThat(out.stream().map(e -> e.client + e.server + " " + e.requests + " @" + (e.timestampMillis - t0)).toList())
                .containsExactlyInAnyOrder(
                        "ab 3 @12000", "ab 5 @26000",
                        "cd 1 @5000", "cd 2 @5001",
                        "ef 1 @27000", "ef 1 @105000",
                        "xy 1 @100000");
        assertThat(ServiceGraphJsonLines.finalEdges(out)).extracting(GraphTraces::describe).containsExactly(
                "a -> b requests=5 failed=0", "c -> d requests=2 failed=0", "e -> f requests=2 failed=0", "x -> y requests=1 failed=0");
    }

    private static ServiceGraphEdge request(String client, String server, long atMillis) {
        ServiceGraphEdge e = ServiceGraph.edges(GraphTraces.trace(GraphTraces.span(client, "CLIENT", "c", "", 0, 5),
                GraphTraces.span(server, "SERVER", "s", "c", 1, 4))).get(0);
        e.timestampMillis = atMillis;
        return e;
    }

    private static List<ServiceGraphEdge> offset(List<ServiceGraphEdge> requests, long t0) {
        for (ServiceGraphEdge e : requests) e.timestampMillis += t0;
        return requests;
    }

    private static StreamExecutionEnvironment environment() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(IngestJob.baseConfiguration());
        env.setParallelism(2);
        return env;
    }

    private static List<ServiceGraphEdge> collect(StreamExecutionEnvironment env, DataStream<ServiceGraphEdge> stream) throws Exception {
        List<ServiceGraphEdge> out = new ArrayList<>();
        try (CloseableIterator<ServiceGraphEdge> it = stream.collectAsync()) {
            env.execute("service graph test");
            it.forEachRemaining(out::add);
        }
        return out;
    }

    /** A watermark after every element: the largest timestamp so far minus 1 ms. */
    static <T> WatermarkStrategy<T> perEventWatermarks(SerializableTimestampAssigner<T> timestamp) {
        return WatermarkStrategy.<T>forGenerator(context -> new WatermarkGenerator<>() {
            private long max = Long.MIN_VALUE + 1;

            @Override
            public void onEvent(T event, long ts, WatermarkOutput output) {
                max = Math.max(max, ts);
                output.emitWatermark(new Watermark(max - 1));
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {}
        }).withTimestampAssigner(timestamp);
    }
}
