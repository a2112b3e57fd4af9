package io.telemetrysuite.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.telemetrysuite.aggregate.AggregateKafka;
import io.telemetrysuite.ingest.IngestTopics;
import io.telemetrysuite.services.RepoLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/kubernetes/ checked without a cluster: every FlinkDeployment against the Flink Kubernetes
 * Operator's CRD schema and every KafkaTopic against Strimzi's (both committed under crds/), and the
 * manifests against the code: one deployment per job, the Flink version the build uses, savepoint
 * upgrades with Kubernetes HA and the Prometheus reporter, and a topic for every topic the jobs use,
 * with at least as many partitions as the jobs that read it have subtasks.
 */
class KubernetesManifestsTest {
    private static final Path DIR = RepoLayout.root().resolve("deploy/kubernetes");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final CrdSchema FLINK_DEPLOYMENT = CrdSchema.load(DIR.resolve("crds/flinkdeployments.flink.apache.org-v1.yml"), "v1beta1");
    private static final CrdSchema KAFKA_TOPIC = CrdSchema.load(DIR.resolve("crds/043-Crd-kafkatopic.yaml"), "v1");
    private static final List<String> JOBS = List.of("ingest", "aggregate", "cep", "traces");

    @Test
    void flinkDeploymentsMatchTheOperatorSchema() {
        for (String job : JOBS) {
            assertThat(FLINK_DEPLOYMENT.problems(deployment(job))).as(job).isEmpty();
        }
    }

    @Test
    void kafkaTopicsMatchStrimzisSchema() {
        List<JsonNode> topics = documents(DIR.resolve("kafka-topics.yaml"));
        assertThat(topics).isNotEmpty();
        for (JsonNode topic : topics) {
            assertThat(KAFKA_TOPIC.problems(topic)).as(topic.at("/spec/topicName").asText()).isEmpty();
        }
    }

    /** The validator refuses what the operator would: a misspelt field, an unknown upgrade mode, a Flink version it does not know. */
    @Test
    void schemaRefusesBrokenDeployments() {
        ObjectNode misspelt = deployment("ingest").deepCopy();
        ((ObjectNode) misspelt.at("/spec/job")).put("paralelism", 4);
        assertThat(FLINK_DEPLOYMENT.problems(misspelt)).anySatisfy(p -> assertThat(p).contains("paralelism"));

        ObjectNode badMode = deployment("ingest").deepCopy();
        ((ObjectNode) badMode.at("/spec/job")).put("upgradeMode", "savepoints");
        assertThat(FLINK_DEPLOYMENT.problems(badMode)).anySatisfy(p -> assertThat(p).contains("upgradeMode"));

        ObjectNode badVersion = deployment("ingest").deepCopy();
        ((ObjectNode) badVersion.path("spec")).put("flinkVersion", "v9_9");
        assertThat(FLINK_DEPLOYMENT.problems(badVersion)).anySatisfy(p -> assertThat(p).contains("flinkVersion"));

        ObjectNode badTopic = documents(DIR.resolve("kafka-topics.yaml")).get(0).deepCopy();
        ((ObjectNode) badTopic.path("spec")).put("partitions", "twelve");
        assertThat(KAFKA_TOPIC.problems(badTopic)).anySatisfy(p -> assertThat(p).contains("partitions"));
    }

    @Test
    void everyJobRunsAsAnHaApplicationWithSavepointUpgradesAndThePrometheusReporter() throws IOException {
        String flinkVersion = "v" + parentPomProperty("flink.version").replaceAll("^(\\d+)\\.(\\d+)\\..*$", "$1_$2");
        for (String job : JOBS) {
            JsonNode d = deployment(job);
            assertThat(d.at("/metadata/name").asText()).isEqualTo("telemetry-" + job);
            assertThat(d.at("/spec/flinkVersion").asText()).as(job).isEqualTo(flinkVersion);
            assertThat(d.at("/spec/mode").asText()).as(job).isEqualTo("native");
            assertThat(d.at("/spec/job/upgradeMode").asText()).as(job).isEqualTo("savepoint");
            assertThat(d.at("/spec/job/jarURI").asText()).as(job).isEqualTo("local:///opt/flink/usrlib/" + job + ".jar");
            JsonNode conf = d.at("/spec/flinkConfiguration");
            assertThat(conf.path("high-availability.type").asText()).as(job).isEqualTo("kubernetes");
            assertThat(conf.path("high-availability.storageDir").asText()).as(job).endsWith("/" + job);
            assertThat(conf.path("execution.checkpointing.savepoint-dir").asText()).as(job).endsWith("/" + job);
            assertThat(conf.path("metrics.reporter.prom.factory.class").asText()).as(job)
                    .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            assertThat(conf.path("pipeline.generic-types").asText()).as(job).isEqualTo("false");
            assertThat(d.at("/spec/job/parallelism").asInt()).as(job).isPositive();
        }
        assertThat(deployment("ingest").at("/spec/job/entryClass").asText()).isEqualTo(io.telemetrysuite.ingest.IngestJob.class.getName());
        assertThat(deployment("aggregate").at("/spec/job/entryClass").asText()).isEqualTo(io.telemetrysuite.aggregate.AggregateJob.class.getName());
        // The CEP job reads its rules from the ConfigMap it mounts.
        JsonNode cep = deployment("cep");
        String mount = cep.at("/spec/podTemplate/spec/containers/0/volumeMounts/0/mountPath").asText();
        assertThat(cep.at("/spec/podTemplate/spec/volumes/0/configMap/name").asText()).isEqualTo("telemetry-cep-rules");
        List<String> args = new ArrayList<>();
        cep.at("/spec/job/args").forEach(a -> args.add(a.asText()));
        assertThat(args).containsSubsequence("--rules", mount);
    }

    @Test
    void everyTopicTheJobsUseIsDefinedWithEnoughPartitions() {
        Map<String, Integer> partitions = new LinkedHashMap<>();
        for (JsonNode topic : documents(DIR.resolve("kafka-topics.yaml"))) {
            partitions.put(topic.at("/spec/topicName").asText(), topic.at("/spec/partitions").asInt());
        }
        IngestTopics ingest = new IngestTopics();
        Set<String> used = new TreeSet<>();
        used.addAll(ingest.inputs());
        used.addAll(ingest.outputs());
        used.addAll(List.of(AggregateKafka.AGGREGATES_TOPIC, AggregateKafka.FORECASTS_TOPIC, AggregateKafka.DEAD_LETTER_TOPIC,
                "alerts", "traces", "trace-summaries"));
        assertThat(partitions.keySet()).containsExactlyInAnyOrderElementsOf(used);

        // A Kafka source subtask without a partition idles: each reader's parallelism fits its topics.
        assertPartitionsAtLeast(partitions, ingest.inputs(), parallelism("ingest"));
        assertPartitionsAtLeast(partitions, ingest.outputs(), parallelism("aggregate"));
        assertPartitionsAtLeast(partitions, List.of(AggregateKafka.AGGREGATES_TOPIC), parallelism("cep"));
        assertPartitionsAtLeast(partitions, List.of(ingest.spans), parallelism("traces"));
    }

    @Test
    void kustomizationListsEveryManifest() throws IOException {
        Set<String> listed = new TreeSet<>();
        YAML.readTree(DIR.resolve("kustomization.yaml").toFile()).path("resources").forEach(r -> listed.add(r.asText()));
        Set<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.list(DIR)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
                    .forEach(present::add);
        }
        assertThat(listed).isEqualTo(present);
    }

    private static void assertPartitionsAtLeast(Map<String, Integer> partitions, List<String> topics, int parallelism) {
        for (String topic : topics) assertThat(partitions.get(topic)).as(topic).isGreaterThanOrEqualTo(parallelism);
    }

    private static int parallelism(String job) {
        return deployment(job).at("/spec/job/parallelism").asInt();
    }

    private static JsonNode deployment(String job) {
        List<JsonNode> docs = documents(DIR.resolve("flinkdeployment-" + job + ".yaml"));
        assertThat(docs).hasSize(1);
        return docs.get(0);
    }

    private static List<JsonNode> documents(Path file) {
        try {
            List<JsonNode> docs = new ArrayList<>();
            YAML.readValues(YAML.createParser(file.toFile()), JsonNode.class).forEachRemaining(d -> {
                if (d != null && !d.isNull() && !d.isMissingNode()) docs.add(d);
            });
            return docs;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String parentPomProperty(String name) throws IOException {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(Files.readString(RepoLayout.root().resolve("pom.xml")));
        if (!m.find()) throw new IllegalStateException("No " + name + " in pom.xml");
        return m.group(1);
    }
}
