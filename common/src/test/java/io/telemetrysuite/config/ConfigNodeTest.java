package io.telemetrysuite.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigNodeTest {

    enum Policy { TAG, REJECT }

    private static ConfigException failure(Runnable read) {
        return catchThrowableOfType(ConfigException.class, read::run);
    }

    @Test
    void unknownFieldIsNamedWithItsPositionAndTheClosestKnownName() {
        ConfigNode rule = YamlConfig.parse("semconv.yaml", "rules:\n  - id: a\n    maxLenght: 5\n")
                .required("rules").elements().get(0);

        ConfigException e = failure(() -> rule.rejectUnknownFields("id", "attribute", "maxLength"));

        assertThat(e.getMessage()).isEqualTo("semconv.yaml:3:5: rules[0].maxLenght: unknown field \"maxLenght\", did you mean \"maxLength\"?");
        assertThat(e.getFile()).isEqualTo("semconv.yaml");
        assertThat(e.getLine()).isEqualTo(3);
        assertThat(e.getColumn()).isEqualTo(5);
        assertThat(e.getField()).isEqualTo("rules[0].maxLenght");
    }

    @Test
    void unknownFieldFarFromAnyKnownNameListsTheKnownNames() {
        ConfigNode root = YamlConfig.parse("a.yaml", "id: x\ncolour: red\n");

        assertThatThrownBy(() -> root.rejectUnknownFields("id", "signal"))
                .hasMessage("a.yaml:2:1: colour: unknown field \"colour\"; known fields: id, signal");
    }

    @Test
    void wrongTypeNamesWhatWasExpectedAndWhatWasFound() {
        ConfigNode root = YamlConfig.parse("ingest.yaml", "sampling:\n  budgetPerService: fast\n");

        ConfigException e = failure(() -> root.required("sampling").required("budgetPerService").asPositiveDouble());

        assertThat(e.getMessage()).isEqualTo("ingest.yaml:2:21: sampling.budgetPerService: expected a positive number, got \"fast\"");
        assertThat(e.getProblem()).isEqualTo("expected a positive number, got \"fast\"");
    }

    @Test
    void quotedNumberIsNotAnIntegerAndTheMessageSaysWhy() {
        ConfigNode root = YamlConfig.parse("a.yaml", "port: \"8080\"\n");

        assertThatThrownBy(() -> root.requiredInt("port"))
                .hasMessage("a.yaml:1:7: port: expected an integer, got \"8080\" (a quoted string; remove the quotes)");
    }

    @Test
    void nonPositiveValueIsRefusedWhereAPositiveOneIsExpected() {
        ConfigNode root = YamlConfig.parse("a.yaml", "maxLength: 0\nbudget: -1.5\n");

        assertThatThrownBy(() -> root.required("maxLength").asPositiveInt())
                .hasMessage("a.yaml:1:12: maxLength: expected a positive integer up to 2147483647, got 0");
        assertThatThrownBy(() -> root.required("budget").asPositiveDouble())
                .hasMessage("a.yaml:2:9: budget: expected a positive number, got -1.5");
    }

    @Test
    void badDurationIsRefusedWithItsPosition() {
        ConfigNode root = YamlConfig.parse("jobs.yaml", "window:\n  size: 5 minutes\n  slide: 30\n");
        ConfigNode window = root.required("window");

        assertThatThrownBy(() -> window.requiredDuration("size"))
                .hasMessage("jobs.yaml:2:9: window.size: expected a duration such as 500ms, 30s, 5m, 1h or 2d, got \"5 minutes\"");
        // A bare number has no unit, and the unit is never implied.
        assertThatThrownBy(() -> window.requiredDuration("slide"))
                .hasMessage("jobs.yaml:3:10: window.slide: expected a duration such as 500ms, 30s, 5m, 1h or 2d, got 30");
    }

    @Test
    void durationsReadInEveryUnit() {
        ConfigNode root = YamlConfig.parse("a.yaml", "a: 500ms\nb: 30s\nc: 5m\nd: 1h\ne: 2d\n");

        assertThat(root.requiredDuration("a")).isEqualTo(Duration.ofMillis(500));
        assertThat(root.requiredDuration("b")).isEqualTo(Duration.ofSeconds(30));
        assertThat(root.requiredDuration("c")).isEqualTo(Duration.ofMinutes(5));
        assertThat(root.requiredDuration("d")).isEqualTo(Duration.ofHours(1));
        assertThat(root.requiredDuration("e")).isEqualTo(Duration.ofDays(2));
        assertThat(root.optionalDuration("f", Duration.ZERO)).isEqualTo(Duration.ZERO);
    }

    @Test
    void duplicateKeyIsRefusedWhenLoadingAndNamesTheFirstDefinition() {
        ConfigException e = failure(() -> YamlConfig.parse("a.yaml", "a: 1\nb:\n  c: 2\n  c: 3\n"));

        assertThat(e.getMessage()).isEqualTo("a.yaml:4:3: b.c: duplicate key \"c\" (first defined at line 3, column 3)");
        assertThat(e.getLine()).isEqualTo(4);
        assertThat(e.getColumn()).isEqualTo(3);
        assertThat(e.getField()).isEqualTo("b.c");
    }

    @Test
    void duplicateKeyInsideAListElementIsRefusedToo() {
        assertThatThrownBy(() -> YamlConfig.parse("a.yaml", "rules:\n  - id: a\n    id: b\n"))
                .hasMessage("a.yaml:3:5: rules[0].id: duplicate key \"id\" (first defined at line 2, column 5)");
    }

    @Test
    void missingRequiredFieldPointsAtTheMappingThatLacksIt() {
        ConfigNode rule = YamlConfig.parse("a.yaml", "rules:\n  - signal: span\n").required("rules").elements().get(0);

        assertThatThrownBy(() -> rule.requiredString("id")).hasMessage("a.yaml:2:5: rules[0].id: required field is missing");
    }

    @Test
    void keysWithDotsAreQuotedInTheFieldPath() {
        ConfigNode root = YamlConfig.parse("p.yaml", "fields:\n  workload.user: shred\n");

        assertThatThrownBy(() -> root.required("fields").required("workload.user").asOneOf("drop", "mask", "hash"))
                .hasMessage("p.yaml:2:18: fields[\"workload.user\"]: expected one of drop, mask, hash, got \"shred\"");
    }

    @Test
    void oneOfAndEnumSuggestTheClosestValue() {
        ConfigNode root = YamlConfig.parse("a.yaml", "onViolation: rejct\nother: tag\n");

        assertThatThrownBy(() -> root.requiredEnum("onViolation", Policy.class))
                .hasMessage("a.yaml:1:14: onViolation: expected one of tag, reject, got \"rejct\" (did you mean \"reject\"?)");
        assertThat(root.requiredEnum("other", Policy.class)).isEqualTo(Policy.TAG);
    }

    @Test
    void everyFailedElementIsReportedAndTheFirstExactly() {
        ConfigNode root = YamlConfig.parse("a.yaml", "limits:\n  - 5\n  - lots\n  - 7\n  - many\n");

        ConfigException e = failure(() -> root.required("limits").mapElements(ConfigNode::asInt));

        assertThat(e.getProblems()).extracting(ConfigException::getMessage).containsExactly(
                "a.yaml:3:5: limits[1]: expected an integer, got \"lots\"",
                "a.yaml:5:5: limits[3]: expected an integer, got \"many\"");
        assertThat(e.getLine()).isEqualTo(3);
        assertThat(e.getMessage()).startsWith("a.yaml:3:5: limits[1]: expected an integer, got \"lots\"\n(2 problems in all");
    }

    @Test
    void typedValuesListsAndMapsRead() {
        ConfigNode root = YamlConfig.parse("a.yaml", String.join("\n",
                "name: ingest", "count: 0x10", "big: 9000000000", "ratio: 0.25", "on: TRUE",
                "signal: span", "signals: [span, log]", "limits: {a: 1, b: 2}", "empty:", ""));

        assertThat(root.requiredString("name")).isEqualTo("ingest");
        assertThat(root.requiredInt("count")).isEqualTo(16);
        assertThat(root.requiredLong("big")).isEqualTo(9_000_000_000L);
        assertThat(root.requiredDouble("ratio")).isEqualTo(0.25);
        assertThat(root.requiredBoolean("on")).isTrue();
        assertThat(root.required("signal").asStringList()).containsExactly("span");
        assertThat(root.required("signals").asStringList()).containsExactly("span", "log");
        assertThat(root.required("limits").mapEntries(ConfigNode::asInt)).isEqualTo(Map.of("a", 1, "b", 2));
        assertThat(root.optionalString("empty", "default")).isEqualTo("default");
        assertThat(root.optionalInt("absent", 3)).isEqualTo(3);
        assertThatThrownBy(() -> root.requiredString("empty")).hasMessage("a.yaml:9:7: empty: expected a string, got null");
        assertThatThrownBy(() -> root.requiredInt("big"))
                .hasMessage("a.yaml:3:6: big: expected an integer between -2147483648 and 2147483647, got 9000000000");
        assertThatThrownBy(() -> root.required("limits").elements()).hasMessage("a.yaml:8:9: limits: expected a list, got a mapping");
    }

    @Test
    void yamlSyntaxErrorsArePositioned() {
        ConfigException e = failure(() -> YamlConfig.parse("bad.yaml", "a: 1\nb: [1, 2\n"));

        assertThat(e.getFile()).isEqualTo("bad.yaml");
        assertThat(e.getLine()).isEqualTo(3);
        assertThat(e.getMessage()).startsWith("bad.yaml:3:1: invalid YAML: ");
    }

    @Test
    void loadsFromAPathAndNamesTheFileInErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ingest.yaml");
        Files.write(file, "parallelism: many\n".getBytes(StandardCharsets.UTF_8));

        ConfigNode root = YamlConfig.load(file);

        assertThatThrownBy(() -> root.requiredInt("parallelism"))
                .hasMessage(file + ":1:14: parallelism: expected an integer, got \"many\"");
        assertThatThrownBy(() -> YamlConfig.load(dir.resolve("absent.yaml")))
                .hasMessage(dir.resolve("absent.yaml") + ": file not found");
    }

    @Test
    void loadsABundledResource() {
        ConfigNode root = YamlConfig.loadResource("config/sample.yaml");

        assertThat(root.source()).isEqualTo("classpath:config/sample.yaml");
        assertThat(root.requiredInt("parallelism")).isEqualTo(4);
        assertThat(root.requiredDuration("window")).isEqualTo(Duration.ofSeconds(30));
        assertThat(root.rejectUnknownFields("name", "parallelism", "window")).isSameAs(root);
        assertThatThrownBy(() -> YamlConfig.loadResource("config/absent.yaml"))
                .hasMessage("classpath:config/absent.yaml: resource not found on the classpath");
    }

    @Test
    void emptyFileReadsAsAnEmptyMapping() {
        ConfigNode root = YamlConfig.parse("empty.yaml", "# nothing yet\n");

        assertThat(root.entries()).isEmpty();
    }
}
