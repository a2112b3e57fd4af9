package io.telemetrysuite.traces.graph;

import static io.telemetrysuite.traces.graph.GraphTraces.MS;
import static io.telemetrysuite.traces.graph.GraphTraces.T0;
import static io.telemetrysuite.traces.graph.GraphTraces.describe;
import static io.telemetrysuite.traces.graph.GraphTraces.error;
import static io.telemetrysuite.traces.graph.GraphTraces.span;
import static io.telemetrysuite.traces.graph.GraphTraces.trace;
import static io.telemetrysuite.traces.graph.GraphTraces.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.model.ServiceGraphEdge;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.Trace;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pairing within one trace, case by case as the {@code servicegraph} connector's own tests and golden
 * files have them (connector_test.go, testdata/*.yaml), plus the SDK-made checkout topology.
 */
class ServiceGraphTest {
    private static List<String> edges(Span... spans) {
        return ServiceGraph.edges(trace(spans)).stream().map(GraphTraces::describe).toList();
    }

    @Test
    void clientAndServerSpansPairIntoOneRequestWithBothDurationsInSeconds() {
        // connector_test.go "complete traces with client and server span": client 1 s, server 2 s.
        List<ServiceGraphEdge> edges = ServiceGraph.edges(trace(
                span("some-service", "CLIENT", "c1", "", 0, 1000),
                span("some-service", "SERVER", "s1", "c1", 0, 2000)));

        assertThat(edges).singleElement().satisfies(e -> {
            assertThat(describe(e)).isEqualTo("some-service -> some-service requests=1 failed=0");
            assertThat(e.failedSeries).isFalse();
            assertThat(e.clientSecondsSum).isEqualTo(1.0);
            assertThat(e.serverSecondsSum).isEqualTo(2.0);
            // The connector's expected buckets: server in le=2 (index 12), client in le=1 (index 10).
            ServiceGraphEdge series = EdgeTotals.count(null, e, ServiceGraphConfig.DEFAULT_BUCKETS);
            assertThat(series.serverBucketCounts).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0);
            assertThat(series.clientBucketCounts).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0);
            assertThat(series.bucketBounds).containsExactly(ServiceGraphConfig.DEFAULT_BUCKETS);
            assertThat(series.requests).isEqualTo(1);
            assertThat(series.serverSecondsSum).isEqualTo(2.0);
        });
    }

    @Test
    void theServerSpanMayComeFirst() {
        assertThat(edges(span("b", "SERVER", "s1", "c1", 1, 9), span("a", "CLIENT", "c1", "", 0, 10)))
                .containsExactly("a -> b requests=1 failed=0");
    }

    @Test
    void anErrorOnEitherSideFailsTheRequest() {
        assertThat(edges(error(span("a", "CLIENT", "c1", "", 0, 10)), span("b", "SERVER", "s1", "c1", 1, 9)))
                .containsExactly("a -> b requests=1 failed=1");
        assertThat(edges(span("a", "CLIENT", "c1", "", 0, 10), error(span("b", "SERVER", "s1", "c1", 1, 9))))
                .containsExactly("a -> b requests=1 failed=1");
        assertThat(ServiceGraph.edges(trace(span("a", "CLIENT", "c1", "", 0, 10), error(span("b", "SERVER", "s1", "c1", 1, 9)))))
                .singleElement().satisfies(e -> assertThat(e.failedSeries).isTrue());
    }

    @Test
    void aClientSpanWithADatabaseNameIsARequestToThatDatabaseAtOnce() {
        List<ServiceGraphEdge> edges = ServiceGraph.edges(trace(
                with(with(span("checkout", "CLIENT", "c1", "", 0, 30), "db.name", "orders"), "db.system", "postgresql")));

        assertThat(edges).singleElement().satisfies(e -> {
            assertThat(describe(e)).isEqualTo("checkout -> orders database requests=1 failed=0");
            assertThat(e.serverSecondsSum).isEqualTo(0.03);
            assertThat(e.clientSecondsSum).isEqualTo(0.03);
        });
    }

    @Test
    void theDatabaseNameMayComeFromTheResource() {
        Span client = span("checkout", "CLIENT", "c1", "", 0, 30);
        client.resourceAttributes.put("db.name", "orders");
        assertThat(edges(client)).containsExactly("checkout -> orders database requests=1 failed=0");
    }

    @Test
    void dbSystemAloneIsNoDatabaseRequestButNamesTheVirtualNode() {
        assertThat(edges(with(span("checkout", "CLIENT", "c1", "", 0, 30), "db.system", "postgresql")))
                .containsExactly("checkout -> postgresql virtual_node requests=1 failed=0");
    }

    @Test
    void dbNamespaceCountsOnlyWhenConfigured() {
        Trace t = trace(with(span("checkout", "CLIENT", "c1", "", 0, 30), "db.namespace", "orders"));
        assertThat(ServiceGraph.edges(t)).extracting(GraphTraces::describe)
                .containsExactly("checkout -> unknown virtual_node requests=1 failed=0");
        ServiceGraphConfig config = ServiceGraphConfig.defaults().withDatabaseNameAttributes(List.of("db.name", "db.namespace"));
        assertThat(ServiceGraph.edges(t, config)).extracting(GraphTraces::describe)
                .containsExactly("checkout -> orders database requests=1 failed=0");
    }

    @Test
    void producerAndConsumerPairAcrossAMessagingSystem() {
        assertThat(edges(span("orders", "PRODUCER", "p1", "", 0, 2), span("billing", "CONSUMER", "k1", "p1", 50, 60)))
                .containsExactly("orders -> billing messaging_system requests=1 failed=0");
    }

    @Test
    void aRootServerSpanExpiresIntoARequestFromTheVirtualUserNode() {
        // testdata/virtual-node-label-trace.yaml: bar-requester's root SERVER span; its client duration counts as 0.
        List<ServiceGraphEdge> edges = ServiceGraph.edges(trace(
                with(span("bar-requester", "SERVER", "s1", "", 0, 1), "peer.service", "external-platform")));

        assertThat(edges).singleElement().satisfies(e -> {
            assertThat(describe(e)).isEqualTo("user -> bar-requester virtual_node requests=1 failed=0");
            assertThat(e.serverSecondsSum).isEqualTo(0.001);
            assertThat(e.clientSecondsSum).isEqualTo(0.0);
            assertThat(EdgeTotals.count(null, e, ServiceGraphConfig.DEFAULT_BUCKETS).clientBucketCounts[0]).isEqualTo(1);
        });
    }

    @Test
    void aClientSpanWithoutServerAndWithoutPeerAttributesGoesToUnknown() {
        // testdata/virtual-node-label-trace.yaml: foo-server's CLIENT span without attributes.
        List<ServiceGraphEdge> edges = ServiceGraph.edges(trace(span("foo-server", "CLIENT", "c1", "", 0, 1)));

        assertThat(edges).singleElement().satisfies(e -> {
            assertThat(describe(e)).isEqualTo("foo-server -> unknown virtual_node requests=1 failed=0");
            assertThat(e.clientSecondsSum).isEqualTo(0.001);
            assertThat(e.serverSecondsSum).isEqualTo(0.0);
        });
    }

    @Test
    void aClientSpanWithoutServerGoesToItsPeerServiceFirst() {
        // connector_test.go "incomplete traces with virtual server span": peer.service AuthTokenCache.
        assertThat(edges(with(span("some-client-service", "CLIENT", "c1", "", 0, 1000), "peer.service", "AuthTokenCache")))
                .containsExactly("some-client-service -> AuthTokenCache virtual_node requests=1 failed=0");
        // peer.service before db.system, whatever the attribute order.
        assertThat(edges(with(with(span("a", "CLIENT", "c1", "", 0, 1), "db.system", "redis"), "peer.service", "cache")))
                .containsExactly("a -> cache virtual_node requests=1 failed=0");
    }

    @Test
    void aServerSpanWhoseClientWasLostIsNotCounted() {
        // connector_test.go "incomplete traces with client span lost": no metrics at all.
        assertThat(edges(span("some-server-service", "SERVER", "s1", "27282930", 0, 1000))).isEmpty();
    }

    @Test
    void internalSpansAndSpansWithoutServiceTakeNoPart() {
        Span anonymous = span("", "SERVER", "s2", "c1", 1, 9);
        assertThat(edges(span("a", "INTERNAL", "i1", "", 0, 10), anonymous, span("a", "CLIENT", "c1", "i1", 0, 10)))
                .containsExactly("a -> unknown virtual_node requests=1 failed=0");
    }

    @Test
    void withoutPeerAttributesThereAreNoVirtualNodes() {
        ServiceGraphConfig off = ServiceGraphConfig.defaults().withVirtualNodePeerAttributes(List.of());
        Trace t = trace(span("a", "SERVER", "s0", "", 0, 20), span("a", "CLIENT", "c1", "s0", 1, 19),
                span("b", "SERVER", "s1", "c1", 2, 18), span("b", "CLIENT", "c2", "s1", 3, 17));
        assertThat(ServiceGraph.edges(t, off)).extracting(GraphTraces::describe).containsExactly("a -> b requests=1 failed=0");
        assertThat(ServiceGraph.edges(t)).extracting(GraphTraces::describe).containsExactly(
                "a -> b requests=1 failed=0", "user -> a virtual_node requests=1 failed=0", "b -> unknown virtual_node requests=1 failed=0");
    }

    @Test
    void aDurationOnABucketBoundCountsInThatBucket() {
        double[] bounds = ServiceGraphConfig.DEFAULT_BUCKETS;
        assertThat(ServiceGraph.bucket(bounds, 0.0)).isEqualTo(0);
        assertThat(ServiceGraph.bucket(bounds, 0.002)).isEqualTo(0);
        assertThat(ServiceGraph.bucket(bounds, 0.0021)).isEqualTo(1);
        assertThat(ServiceGraph.bucket(bounds, 15)).isEqualTo(15);
        assertThat(ServiceGraph.bucket(bounds, 25_000)).isEqualTo(16);
    }

    @Test
    void configuredBucketsAsTheConnectorsGoldenFileHasThem() {
        // testdata/virtual-node-label-expected-metrics.yaml: bounds 0.1, 1, 10; a 1 µs span lands in the first bucket.
        ServiceGraphConfig config = ServiceGraphConfig.defaults()
                .withBuckets(java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(10));
        Span client = span("foo-server", "CLIENT", "c1", "", 0, 0);
        client.endTimeUnixNano = client.startTimeUnixNano + 1_000;
        ServiceGraphEdge series = EdgeTotals.count(null, ServiceGraph.edges(trace(client), config).get(0), config.buckets());
        assertThat(series.bucketBounds).containsExactly(0.1, 1, 10);
        assertThat(series.clientBucketCounts).containsExactly(1, 0, 0, 0);
        assertThat(series.serverBucketCounts).containsExactly(1, 0, 0, 0);
        assertThat(series.clientSecondsSum).isEqualTo(0.000001);
        assertThat(series.serverSecondsSum).isEqualTo(0.0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServiceGraphConfig.defaults()
                        .withBuckets(java.time.Duration.ofSeconds(1), java.time.Duration.ofMillis(100)))
                .hasMessageContaining("latency_histogram_buckets must be ascending");
    }

    @Test
    void theCheckoutTopologyMadeByTheOpenTelemetrySdk() throws Exception {
        // frontend (root SERVER) -> checkout -> payment, and checkout's "SELECT orders" with db.system.name only:
        // neither db.name nor a default peer attribute, so the connector sends it to "unknown".
        Trace ok = GraphTraces.checkout(1, T0, false);
        assertThat(ServiceGraph.edges(ok)).extracting(GraphTraces::describe).containsExactlyInAnyOrder(
                "user -> frontend virtual_node requests=1 failed=0",
                "frontend -> checkout requests=1 failed=0",
                "checkout -> payment requests=1 failed=0",
                "checkout -> unknown virtual_node requests=1 failed=0");
        ServiceGraphEdge call = ServiceGraph.edges(ok).stream().filter(e -> e.server.equals("checkout")).findFirst().orElseThrow();
        assertThat(call.clientSecondsSum).isEqualTo(0.110);
        assertThat(call.serverSecondsSum).isEqualTo(0.100);
        assertThat(call.timestampMillis).isEqualTo((T0 + 120 * MS) / MS);

        assertThat(ServiceGraph.edges(GraphTraces.checkout(2, T0, true))).extracting(GraphTraces::describe).containsExactlyInAnyOrder(
                "user -> frontend virtual_node requests=1 failed=1",
                "frontend -> checkout requests=1 failed=1",
                "checkout -> payment requests=1 failed=1",
                "checkout -> unknown virtual_node requests=1 failed=0");
    }

    @Test
    void aLateFragmentIsPairedOnItsOwnAsTheConnectorsExpiredStoreWould() {
        // The client and root came on time; the server span of the request arrives late, alone.
        Trace onTime = trace(span("a", "SERVER", "s0", "", 0, 20), span("a", "CLIENT", "c1", "s0", 1, 19));
        Trace late = trace(span("b", "SERVER", "s1", "c1", 2, 18));
        late.late = true;
        assertThat(ServiceGraph.edges(onTime)).extracting(GraphTraces::describe).containsExactly(
                "user -> a virtual_node requests=1 failed=0", "a -> unknown virtual_node requests=1 failed=0");
        assertThat(ServiceGraph.edges(late)).isEmpty();
    }
}
