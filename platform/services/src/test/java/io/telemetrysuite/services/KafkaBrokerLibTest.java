package io.telemetrysuite.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the broker jars, and saying how to get them when they are missing. */
class KafkaBrokerLibTest {

    @Test
    void findsTheJarsKafkaDistCopiedFromInsideAModule() {
        // Surefire runs in platform/services, so this walks up to the repository root.
        assertThat(KafkaBroker.locateLib()).endsWith(Path.of("platform", "kafka-dist", "target", "lib"));
    }

    @Test
    void explainsHowToBuildMissingJars(@TempDir Path empty) {
        System.setProperty(KafkaBroker.LIB_PROPERTY, empty.toString());
        try {
            assertThatThrownBy(KafkaBroker::locateLib)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(empty.toString())
                    .hasMessageContaining("mvn -pl platform/kafka-dist package");
        } finally {
            System.clearProperty(KafkaBroker.LIB_PROPERTY);
        }
    }

    @Test
    void repoRootNeedsBothPomAndPlatform(@TempDir Path dir) throws Exception {
        Path module = Files.createDirectories(dir.resolve("platform").resolve("services"));
        Files.writeString(module.resolve("pom.xml"), "<project/>");
        Files.writeString(dir.resolve("pom.xml"), "<project/>");
        assertThat(RepoLayout.root(module)).isEqualTo(dir);
    }
}
