package io.telemetrysuite.traces.graph;

import static io.telemetrysuite.traces.graph.GraphTraces.error;
import static io.telemetrysuite.traces.graph.GraphTraces.span;
import static io.telemetrysuite.traces.graph.GraphTraces.trace;
import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.model.ServiceGraphEdge;
import io.telemetrysuite.prometheus.PrometheusSample;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Prometheus samples of a series: the connector's names, labels, cumulative buckets and {@code le} texts. */
class ServiceGraphSeriesTest {
    private static String text(PrometheusSample s) {
        return s.metric() + s.labels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(",", "{", "}")) + " " + s.value();
    }

    @Test
    void aFailedSeriesHasTheFailedCounterAndCumulativeBuckets() {
        ServiceGraphEdge e = EdgeTotals.count(null,
                ServiceGraph.edges(trace(span("a", "CLIENT", "c1", "", 0, 1000), error(span("b", "SERVER", "s1", "c1", 0, 2000)))).get(0),
                ServiceGraphConfig.DEFAULT_BUCKETS);
        e.timestampMillis = 1_700_000_000_123L;
        List<PrometheusSample> samples = ServiceGraphSeries.of(e);

        assertThat(samples).allSatisfy(s -> assertThat(s.timestampMillis()).isEqualTo(1_700_000_000_123L));
        List<String> texts = samples.stream().map(ServiceGraphSeriesTest::text).toList();
        assertThat(texts).contains(
                "traces_service_graph_request_total{client=a,failed=true,server=b} 1.0",
                "traces_service_graph_request_failed_total{client=a,failed=true,server=b} 1.0",
                "traces_service_graph_request_server_seconds_bucket{client=a,failed=true,le=1.4,server=b} 0.0",
                "traces_service_graph_request_server_seconds_bucket{client=a,failed=true,le=2,server=b} 1.0",
                "traces_service_graph_request_server_seconds_bucket{client=a,failed=true,le=15,server=b} 1.0",
                "traces_service_graph_request_server_seconds_bucket{client=a,failed=true,le=+Inf,server=b} 1.0",
                "traces_service_graph_request_server_seconds_sum{client=a,failed=true,server=b} 2.0",
                "traces_service_graph_request_server_seconds_count{client=a,failed=true,server=b} 1.0",
                "traces_service_graph_request_client_seconds_bucket{client=a,failed=true,le=0.8,server=b} 0.0",
                "traces_service_graph_request_client_seconds_bucket{client=a,failed=true,le=1,server=b} 1.0",
                "traces_service_graph_request_client_seconds_sum{client=a,failed=true,server=b} 1.0");
        // 1 + 1 counters, and per histogram 16 bounds + +Inf + _sum + _count.
        assertThat(samples).hasSize(2 + 2 * 19);
    }

    @Test
    void aSeriesWithoutFailuresHasNoFailedCounterAndKeepsItsConnectionType() {
        ServiceGraphEdge e = EdgeTotals.count(null,
                ServiceGraph.edges(trace(span("orders", "PRODUCER", "p", "", 0, 1), span("billing", "CONSUMER", "k", "p", 5, 9))).get(0),
                ServiceGraphConfig.DEFAULT_BUCKETS);
        List<String> texts = ServiceGraphSeries.of(e).stream().map(ServiceGraphSeriesTest::text).toList();
        assertThat(texts).noneMatch(t -> t.startsWith("traces_service_graph_request_failed_total"));
        assertThat(texts).contains("traces_service_graph_request_total{client=orders,connection_type=messaging_system,failed=false,server=billing} 1.0");
    }

    @Test
    void bucketBoundsAreWrittenAsTheCollectorWritesThem() {
        assertThat(ServiceGraphSeries.le(0.002)).isEqualTo("0.002");
        assertThat(ServiceGraphSeries.le(1)).isEqualTo("1");
        assertThat(ServiceGraphSeries.le(1.4)).isEqualTo("1.4");
        assertThat(ServiceGraphSeries.le(10)).isEqualTo("10");
        assertThat(ServiceGraphSeries.le(0.05)).isEqualTo("0.05");
    }
}
