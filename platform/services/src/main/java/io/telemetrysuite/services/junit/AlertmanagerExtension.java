package io.telemetrysuite.services.junit;

import io.telemetrysuite.services.AlertmanagerServer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit Jupiter extension that gives tests a real Alertmanager ({@link AlertmanagerServer}): one server per test run, shared by every test
 * class that uses the extension, on a free loopback port with a temporary data directory. It is
 * started on first use and stopped when the run ends (it lives in the root context's store), like
 * {@link KafkaBrokerExtension}.
 *
 * <pre>{@code
 * @ExtendWith(AlertmanagerExtension.class)
 * class AlertsTest {
 *     @Test
 *     void check(AlertmanagerServer alertmanager) {
 *         ... alertmanager.alerts() ...
 *     }
 * }
 * }</pre>
 *
 * <p>Or {@code @RegisterExtension static final AlertmanagerExtension X = new AlertmanagerExtension();} and
 * {@link #server()} where injection is awkward.
 *
 * <p>Because the server is shared, tests should give their alerts their own label values (a test id) and look only for those.
 */
public final class AlertmanagerExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(AlertmanagerExtension.class);

    /** Set while the shared server runs, for {@link #server()}. */
    private static volatile AlertmanagerServer current;

    /** For {@code @RegisterExtension}; {@code @ExtendWith} instantiates it itself. */
    public AlertmanagerExtension() {}

    /**
     * The server of this test run.
     *
     * @throws IllegalStateException if no test class using this extension has started yet
     */
    public static AlertmanagerServer server() {
        AlertmanagerServer server = current;
        if (server == null) {
            throw new IllegalStateException("No Alertmanager server: annotate the test class with "
                    + "@ExtendWith(AlertmanagerExtension.class) or register a AlertmanagerExtension with @RegisterExtension.");
        }
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        shared(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == AlertmanagerServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return shared(extensionContext);
    }

    private static AlertmanagerServer shared(ExtensionContext context) {
        // The root store outlives every test class and is closed once, at the end of the run.
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(Shared.class, key -> new Shared(AlertmanagerServer.builder().start()), Shared.class)
                .server;
    }

    /** The store entry: closing it stops the server and clears the static accessor. */
    private static final class Shared implements AutoCloseable {
        final AlertmanagerServer server;

        Shared(AlertmanagerServer server) {
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
