package io.telemetrysuite.services.junit;

import io.telemetrysuite.services.KafkaBroker;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit Jupiter extension that gives tests a real Kafka broker ({@link KafkaBroker}): one broker per
 * test run, shared by every test class that uses the extension, on free loopback ports with a
 * temporary data directory. Starting a broker takes seconds, so it is started once, on first use, and
 * stopped when the run ends (it lives in the root context's store, which closes {@link AutoCloseable}
 * values at the end of the run).
 *
 * <p>Declaratively, with the broker injected into test methods, constructors or lifecycle methods:
 *
 * <pre>{@code
 * @ExtendWith(KafkaBrokerExtension.class)
 * class PipelineTest {
 *     @Test
 *     void roundTrip(KafkaBroker kafka) {
 *         kafka.createTopics(Map.of("events", 2));
 *         ... kafka.bootstrapServers() ...
 *     }
 * }
 * }</pre>
 *
 * <p>Or registered in a field, with the static accessor where injection is awkward (a Flink job's
 * configuration built in a field initializer or a helper):
 *
 * <pre>{@code
 * class PipelineTest {
 *     @RegisterExtension
 *     static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
 *
 *     @Test
 *     void roundTrip() {
 *         String servers = KafkaBrokerExtension.broker().bootstrapServers();
 *     }
 * }
 * }</pre>
 *
 * <p>Because the broker is shared, tests should use their own topic names (and consumer group ids
 * and transactional ids) instead of assuming an empty broker.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

    /** Set while the shared broker runs, for {@link #broker()}. */
    private static volatile KafkaBroker current;

    /** For {@code @RegisterExtension}; {@code @ExtendWith} instantiates it itself. */
    public KafkaBrokerExtension() {}

    /**
     * The broker of this test run.
     *
     * @throws IllegalStateException if no test class using this extension has started yet
     */
    public static KafkaBroker broker() {
        KafkaBroker broker = current;
        if (broker == null) {
            throw new IllegalStateException("No Kafka broker: annotate the test class with "
                    + "@ExtendWith(KafkaBrokerExtension.class) or register a KafkaBrokerExtension with @RegisterExtension.");
        }
        return broker;
    }

    /** Shorthand for {@code broker().bootstrapServers()}. */
    public static String bootstrapServers() {
        return broker().bootstrapServers();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        shared(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return shared(extensionContext);
    }

    private static KafkaBroker shared(ExtensionContext context) {
        // The root store outlives every test class and is closed once, at the end of the run.
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(SharedBroker.class, key -> new SharedBroker(KafkaBroker.builder().start()), SharedBroker.class)
                .broker;
    }

    /** The store entry: closing it stops the broker and clears the static accessor. */
    private static final class SharedBroker implements AutoCloseable {
        final KafkaBroker broker;

        SharedBroker(KafkaBroker broker) {
            this.broker = broker;
            current = broker;
        }

        @Override
        public void close() {
            current = null;
            broker.stop();
        }
    }
}
