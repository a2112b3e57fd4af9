package io.telemetrysuite.services.junit;

import io.telemetrysuite.services.PrometheusServer;

/**
 * JUnit Jupiter extension that gives tests a real Prometheus server ({@link PrometheusServer}, remote-write receiver on): one server per test run, shared by every test
 * class that uses the extension, on a free loopback port with a temporary data directory. It is
 * started on first use and stopped when the run ends (it lives in the root context's store), like
 * {@link KafkaBrokerExtension}.
 *
 * <pre>{@code
 * @ExtendWith(PrometheusExtension.class)
 * class AlertsTest {
 *     @Test
 *     void check(PrometheusServer prometheus) {
 *         ... prometheus.remoteWriteUrl() ...
 *     }
 * }
 * }</pre>
 *
 * <p>Or {@code @RegisterExtension static final PrometheusExtension X = new PrometheusExtension();} and
 * {@link #server()} where injection is awkward.
 *
 * <p>Because the server is shared, tests should use their own metric names or labels (a test id) instead of assuming an empty TSDB.
 */
public final class PrometheusExtension extends SharedServerExtension<PrometheusServer> {
    /** For {@code @RegisterExtension}; {@code @ExtendWith} instantiates it itself. */
    public PrometheusExtension() {
        super(PrometheusServer.class, () -> PrometheusServer.builder().start());
    }

    /**
     * The server of this test run.
     *
     * @throws IllegalStateException if no test class using this extension has started yet
     */
    public static PrometheusServer server() {
        return current(PrometheusServer.class, PrometheusExtension.class);
    }
}
