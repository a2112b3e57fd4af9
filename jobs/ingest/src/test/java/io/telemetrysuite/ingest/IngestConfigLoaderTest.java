package io.telemetrysuite.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telemetrysuite.config.ConfigException;
import io.telemetrysuite.services.RepoLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestConfigLoaderTest {
    @TempDir Path dir;

    @Test
    void theShippedConfigStatesExactlyTheDefaults() throws Exception {
        IngestConfig shipped = IngestConfigLoader.load(RepoLayout.root().resolve("deploy/config/ingest.yaml").toString());
        assertThat(shipped).usingRecursiveComparison().isEqualTo(new IngestConfig());
    }

    @Test
    void aFileOverridesWhatItNamesAndResolvesPathsAgainstItsFolder() throws Exception {
        Path file = dir.resolve("ingest.yaml");
        Files.writeString(file, """
                bootstrapServers: kafka:9092
                registry: conf/registry.yaml
                sampling:
                  enabled: true
                  spansPerSecondPerService: 250
                  slowThresholdByRoute: {/checkout: 500ms}
                """);
        IngestConfig config = IngestConfigLoader.load(file.toString());
        assertThat(config.bootstrapServers).isEqualTo("kafka:9092");
        assertThat(config.registryFile).isEqualTo(dir.resolve("conf/registry.yaml").toString());
        assertThat(config.sampling.enabled).isTrue();
        assertThat(config.sampling.spansPerSecondPerService).isEqualTo(250);
        assertThat(config.sampling.slowThresholdNanos("/checkout")).isEqualTo(Duration.ofMillis(500).toNanos());
        assertThat(config.sampling.slowThresholdNanos("/other")).isEqualTo(Duration.ofSeconds(1).toNanos());
        assertThat(config.consumerGroup).isEqualTo(new IngestConfig().consumerGroup);
    }

    @Test
    void aMistypedKeyOrValueIsRefusedWithFileLineAndField() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "topics:\n  spanz: x\n");
        assertThatThrownBy(() -> IngestConfigLoader.load(file.toString()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bad.yaml:2:3")
                .hasMessageContaining("spanz")
                .hasMessageContaining("spans");

        Files.writeString(file, "sampling:\n  minProbability: 2\n");
        assertThatThrownBy(() -> IngestConfigLoader.load(file.toString()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bad.yaml:2:19")
                .hasMessageContaining("sampling.minProbability");
    }
}
