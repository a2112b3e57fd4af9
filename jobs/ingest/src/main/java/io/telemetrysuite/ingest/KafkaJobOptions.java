package io.telemetrysuite.ingest;

import org.apache.flink.util.ParameterTool;

/**
 * The options every job's cluster entry point takes for Kafka, parsed once so the four jobs spell
 * them alike: {@code --bootstrap-servers HOST:PORT} (default 127.0.0.1:9092), {@code --topic-prefix P}
 * (in front of every topic the job reads or writes; several pipelines share one broker this way) and
 * {@code --group G} (consumer group and transactional-id prefix; default the job's own name).
 *
 * <p>Two running jobs must never share a transactional-id prefix: each would abort the other's
 * transactions on start. The group doubles as that prefix, so isolating the group isolates both.
 */
public record KafkaJobOptions(String bootstrapServers, String topicPrefix, String group) {
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";

    public static KafkaJobOptions from(ParameterTool params, String defaultGroup) {
        return new KafkaJobOptions(params.get("bootstrap-servers", DEFAULT_BOOTSTRAP_SERVERS), params.get("topic-prefix", ""),
                params.get("group", defaultGroup));
    }

    /** Ingest's topics, prefixed. */
    public IngestTopics ingestTopics() {
        return new IngestTopics().withPrefix(topicPrefix);
    }

    /** One of the other topics, prefixed. */
    public String topic(String name) {
        return topicPrefix + name;
    }

    public String transactionalIdPrefix() {
        return group;
    }
}
