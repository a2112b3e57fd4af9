package io.telemetrysuite.traces.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.model.Trace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How fast one thread pairs spans (the pure part of the stage), for the trace job's benchmark budget:
 * prints spans/s over the SDK-made checkout traces (6 spans, 4 requests each).
 */
@Tag("slow")
class ServiceGraphPairingSpeedTest {
    @Test
    void pairsAtLeast200kSpansPerSecondInOneThreadEvenOnABusyMachine() throws Exception {
        List<Trace> traces = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) traces.add(GraphTraces.checkout(i, GraphTraces.T0 + i * 1_000_000L, i % 5 == 0));
        long requests = 0;
        for (int round = 0; round < 50; round++) for (Trace t : traces) requests += ServiceGraph.edges(t).size(); // warm-up
        int rounds = 500;
        long start = System.nanoTime();
        for (int round = 0; round < rounds; round++) for (Trace t : traces) requests += ServiceGraph.edges(t).size();
        double seconds = (System.nanoTime() - start) / 1e9;
        double spansPerSecond = rounds * 6_000 / seconds;
        System.out.printf("service graph pairing: %.0f spans/s (%d requests)%n", spansPerSecond, requests);
        assertThat(spansPerSecond).isGreaterThan(200_000);
    }
}
