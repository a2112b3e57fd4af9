package io.telemetrysuite.services.junit;

import io.telemetrysuite.services.LocalServer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The mechanics shared by {@link PrometheusExtension} and {@link AlertmanagerExtension}: one server of
 * a kind per test run, started on first use, kept in the root context's store (closed once, when the
 * run ends), injected as a test parameter and reachable through a static accessor.
 */
abstract class SharedServerExtension<S extends LocalServer> implements BeforeAllCallback, ParameterResolver {
    /** The running server of each kind, for the subclasses' static {@code server()}. */
    private static final Map<Class<?>, LocalServer> CURRENT = new ConcurrentHashMap<>();

    private final Class<S> type;
    private final Supplier<S> start;

    SharedServerExtension(Class<S> type, Supplier<S> start) {
        this.type = type;
        this.start = start;
    }

    /** The server of this test run, or an error that says how to get one. */
    static <S extends LocalServer> S current(Class<S> type, Class<?> extension) {
        LocalServer server = CURRENT.get(type);
        if (server == null) {
            throw new IllegalStateException("No " + type.getSimpleName() + ": annotate the test class with @ExtendWith("
                    + extension.getSimpleName() + ".class) or register a " + extension.getSimpleName() + " with @RegisterExtension.");
        }
        return type.cast(server);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        shared(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == type;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return shared(extensionContext);
    }

    private S shared(ExtensionContext context) {
        // The root store outlives every test class and is closed once, at the end of the run.
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(getClass()));
        return type.cast(store.computeIfAbsent(Shared.class, key -> new Shared(type, start.get()), Shared.class).server);
    }

    /** The store entry: closing it stops the server and clears the static accessor. */
    private static final class Shared implements AutoCloseable {
        final Class<?> type;
        final LocalServer server;

        Shared(Class<?> type, LocalServer server) {
            this.type = type;
            this.server = server;
            CURRENT.put(type, server);
        }

        @Override
        public void close() {
            CURRENT.remove(type);
            server.stop();
        }
    }
}
