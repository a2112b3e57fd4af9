package io.telemetrysuite.traces.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.telemetrysuite.ingest.IngestJob;
import io.telemetrysuite.json.EventJson;
import io.telemetrysuite.model.ServiceGraphEdge;
import io.telemetrysuite.model.Trace;
import io.telemetrysuite.prometheus.PrometheusSample;
import io.telemetrysuite.services.PrometheusServer;
import io.telemetrysuite.services.RepoLayout;
import io.telemetrysuite.services.junit.PrometheusExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The service graph in a real Prometheus through the project's remote-write sink: the known topology's
 * exact counts and bucket values found with PromQL at their event times, and every expression of
 * {@code deploy/grafana/service-graph.json} returning data, the node graph's nodes and edges exactly.
 */
@ExtendWith(PrometheusExtension.class)
class ServiceGraphInPrometheusTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @Test
    void prometheusHoldsTheExactSeriesAndEveryDashboardQueryReturnsData(PrometheusServer prometheus) throws Exception {
        long base = (System.currentTimeMillis() / 60_000 - 15) * 60_000; // a quarter of an hour ago, on a minute
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(IngestJob.baseConfiguration());
        env.setParallelism(2);
        DataStream<Trace> traces = env.fromData(KnownTopology.traces(base * GraphTraces.MS), TypeInformation.of(Trace.class)).setParallelism(1)
                .assignTimestampsAndWatermarks(ServiceGraphStageTest.perEventWatermarks((Trace t, long previous) -> t.endTimeUnixNano / GraphTraces.MS))
                .setParallelism(1);
        DataStream<ServiceGraphEdge> series = ServiceGraphSinks.attach(traces, ServiceGraphConfig.defaults(), prometheus.remoteWriteUrl(), null);
        List<ServiceGraphEdge> emitted = new ArrayList<>();
        try (CloseableIterator<ServiceGraphEdge> it = series.collectAsync()) {
            env.execute("service graph to Prometheus");
            it.forEachRemaining(emitted::add);
        }

        // Every sample of every emission is in Prometheus at its event time with its exact value.
        int checked = 0;
        for (ServiceGraphEdge e : emitted) {
            for (PrometheusSample sample : ServiceGraphSeries.of(e)) {
                Double stored = prometheus.valueAt(selector(sample), sample.timestampMillis() / 1000.0);
                assertThat(stored).as("%s at %d", selector(sample), sample.timestampMillis()).isEqualTo(sample.value());
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(400);

        // The final figures, by PromQL, after the last request (late fragment included).
        double after = base / 1000.0 + 70;
        assertThat(prometheus.valueAt("traces_service_graph_request_total{client=\"frontend\",server=\"checkout\",failed=\"false\"}", after)).isEqualTo(24.0);
        assertThat(prometheus.valueAt("traces_service_graph_request_total{client=\"frontend\",server=\"checkout\",failed=\"true\"}", after)).isEqualTo(6.0);
        assertThat(prometheus.valueAt("traces_service_graph_request_failed_total{client=\"frontend\",server=\"checkout\"}", after)).isEqualTo(6.0);
        assertThat(prometheus.valueAt("traces_service_graph_request_failed_total{client=\"checkout\",server=\"unknown\"}", after)).isNull();
        assertThat(prometheus.valueAt("sum(traces_service_graph_request_total{client=\"user\",server=\"frontend\",connection_type=\"virtual_node\"})", after)).isEqualTo(30.0);
        assertThat(prometheus.valueAt("traces_service_graph_request_total{client=\"orders\",server=\"billing\",connection_type=\"messaging_system\"}", after)).isEqualTo(3.0);
        assertThat(prometheus.valueAt("traces_service_graph_request_total{client=\"checkout\",server=\"orders\",connection_type=\"database\"}", after)).isEqualTo(2.0);
        assertThat(prometheus.valueAt("traces_service_graph_request_total{client=\"frontend\",server=\"search\",connection_type=\"virtual_node\"}", after)).isEqualTo(1.0);
        // Server side 100 ms: all 30 in le=0.1, none in le=0.05; client side 110 ms: le=0.2.
        String server = "traces_service_graph_request_server_seconds_bucket{client=\"frontend\",server=\"checkout\",failed=\"false\",le=\"%s\"}";
        assertThat(prometheus.valueAt(server.formatted("0.05"), after)).isEqualTo(0.0);
        assertThat(prometheus.valueAt(server.formatted("0.1"), after)).isEqualTo(24.0);
        assertThat(prometheus.valueAt(server.formatted("+Inf"), after)).isEqualTo(24.0);
        assertThat(prometheus.valueAt("sum(traces_service_graph_request_client_seconds_bucket{client=\"frontend\",server=\"checkout\",le=\"0.1\"})", after)).isEqualTo(0.0);
        assertThat(prometheus.valueAt("sum(traces_service_graph_request_client_seconds_bucket{client=\"frontend\",server=\"checkout\",le=\"0.2\"})", after)).isEqualTo(30.0);
        assertThat(prometheus.valueAt("sum(traces_service_graph_request_client_seconds_count{client=\"frontend\",server=\"checkout\"})", after)).isEqualTo(30.0);
        assertThat(prometheus.valueAt("sum(traces_service_graph_request_server_seconds_sum{client=\"frontend\",server=\"checkout\"})", after))
                .isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(prometheus.valueAt("histogram_quantile(0.5, sum by (le) (traces_service_graph_request_server_seconds_bucket{client=\"frontend\",server=\"checkout\"}))", after))
                .isCloseTo(0.075, org.assertj.core.data.Offset.offset(1e-9));

        // The dashboard: the node graph's nodes and edges exactly, and every other expression returns data.
        Map<String, String> queries = dashboardQueries();
        assertThat(queries).hasSize(7);
        JsonNode nodes = prometheus.queryAt(promql(queries.get("1/nodes")), after).get("result");
        Set<String> ids = new HashSet<>();
        nodes.forEach(n -> ids.add(n.path("metric").path("id").asText()));
        assertThat(ids).containsExactlyInAnyOrder("user", "frontend", "checkout", "payment", "unknown", "orders", "billing", "search");
        JsonNode edges = prometheus.queryAt(promql(queries.get("1/edges")), after).get("result");
        Map<String, Double> edgeValues = new TreeMap<>();
        edges.forEach(e -> edgeValues.put(e.path("metric").path("source").asText() + "->" + e.path("metric").path("target").asText()
                + " id=" + e.path("metric").path("id").asText(), Double.valueOf(e.path("value").get(1).asText())));
        assertThat(edgeValues).containsExactlyInAnyOrderEntriesOf(Map.of(
                "checkout->orders id=checkout->orders", 2.0,
                "checkout->payment id=checkout->payment", 30.0,
                "checkout->unknown id=checkout->unknown", 30.0,
                "frontend->checkout id=frontend->checkout", 30.0,
                "frontend->search id=frontend->search", 1.0,
                "orders->billing id=orders->billing", 3.0,
                "user->frontend id=user->frontend", 30.0));
        for (Map.Entry<String, String> query : queries.entrySet()) {
            JsonNode result = prometheus.queryRange(promql(query.getValue()), base / 1000.0, base / 1000.0 + 120, 10).get("result");
            assertThat(result.size()).as("%s: %s returns data", query.getKey(), promql(query.getValue())).isGreaterThan(0);
        }
        assertThat(prometheus.valueAt(promql(queries.get("6/A")).replace("sum by (client, server, connection_type)", "sum")
                .replace("client=~\".*\", server=~\".*\"", "client=\"frontend\", server=\"checkout\""), after)).isEqualTo(0.2);
    }

    /** Grafana's variables as the test fills them: every client and server, a range covering the run. */
    private static String promql(String expression) {
        return expression.replace("$__range", "10m").replace("$__rate_interval", "1m").replaceAll("\\$(client|server)\\b", ".*");
    }

    /** The dashboard's expressions by "panel id/refId". */
    private static Map<String, String> dashboardQueries() throws Exception {
        Map<String, String> queries = new LinkedHashMap<>();
        JsonNode dashboard = EventJson.mapper().readTree(RepoLayout.root().resolve("deploy/grafana/service-graph.json").toFile());
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                queries.put(panel.get("id").asText() + "/" + target.get("refId").asText(), target.get("expr").asText());
            }
        }
        return queries;
    }

    private static String selector(PrometheusSample sample) {
        return sample.metric() + sample.labels().entrySet().stream()
                .map(e -> e.getKey() + "=\"" + e.getValue().replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(",", "{", "}"));
    }
}
