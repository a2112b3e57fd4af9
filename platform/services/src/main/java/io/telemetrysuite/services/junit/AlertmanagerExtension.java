package io.telemetrysuite.services.junit;

import io.telemetrysuite.services.AlertmanagerServer;

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
public final class AlertmanagerExtension extends SharedServerExtension<AlertmanagerServer> {
    /** For {@code @RegisterExtension}; {@code @ExtendWith} instantiates it itself. */
    public AlertmanagerExtension() {
        super(AlertmanagerServer.class, () -> AlertmanagerServer.builder().start());
    }

    /**
     * The server of this test run.
     *
     * @throws IllegalStateException if no test class using this extension has started yet
     */
    public static AlertmanagerServer server() {
        return current(AlertmanagerServer.class, AlertmanagerExtension.class);
    }
}
