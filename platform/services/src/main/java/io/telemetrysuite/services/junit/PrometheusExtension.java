package io.telemetrysuite.services.junit;

import io.telemetrysuite.services.PrometheusServer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

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
public final class PrometheusExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PrometheusExtension.class);

    /** Set while the shared server runs, for {@link #server()}. */
    private static volatile PrometheusServer current;

    /** For {@code @RegisterExtension}; {@code @ExtendWith} instantiates it itself. */
    public PrometheusExtension() {}

    /**
     * The server of this test run.
     *
     * @throws IllegalStateException if no test class using this extension has started yet
     */
    public static PrometheusServer server() {
        PrometheusServer server = current;
        if (server == null) {
            throw new IllegalStateException("No Prometheus server: annotate the test class with "
                    + "@ExtendWith(PrometheusExtension.class) or register a PrometheusExtension with @RegisterExtension.");
        }
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        shared(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == PrometheusServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return shared(extensionContext);
    }

    private static PrometheusServer shared(ExtensionContext context) {
        // The root store outlives every test class and is closed once, at the end of the run.
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(Shared.class, key -> new Shared(PrometheusServer.builder().start()), Shared.class)
                .server;
    }

    /** The store entry: closing it stops the server and clears the static accessor. */
    private static final class Shared implements AutoCloseable {
        final PrometheusServer server;

        Shared(PrometheusServer server) {
            this.server = server;
            current = server;
        }

        @Override
        public void close() {
            current = null;
            server.stop();
        }
    }
}
