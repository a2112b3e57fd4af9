package io.telemetrysuite.cep.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.services.RepoLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code cep-rules/README.md} cannot drift from the code: its field tables are exactly {@link
 * EventFields}'s catalog (on a mismatch the failure shows the section as it should read; paste it
 * between the markers), and every rule example in it loads.
 */
class RulesReadmeTest {
    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL);

    static final String BEGIN = "<!-- field catalog: generated from EventFields, checked by RulesReadmeTest -->";
    static final String END = "<!-- end of field catalog -->";

    @Test
    void theReadmeFieldTablesAreTheCatalog() throws Exception {
        String readme = Files.readString(RepoLayout.root().resolve(Path.of("cep-rules", "README.md")));
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        assertThat(begin).as("README marker " + BEGIN).isNotNegative();
        assertThat(end).as("README marker " + END).isGreaterThan(begin);
        String documented = readme.substring(begin + BEGIN.length(), end).strip();
        assertThat(documented).isEqualTo(expected());
    }

    @Test
    void everyRuleExampleLoads() throws Exception {
        String readme = Files.readString(RepoLayout.root().resolve(Path.of("cep-rules", "README.md")));
        Matcher m = YAML_BLOCK.matcher(readme);
        List<String> ids = new ArrayList<>();
        while (m.find()) {
            String block = m.group(1);
            if (!block.startsWith("  - id:")) continue;
            ids.addAll(RuleLoader.parse("README example", "rules:\n" + block).stream().map(r -> r.id).toList());
        }
        assertThat(ids).containsExactly("host-cpu-plateau", "payment-error-burst", "failed-logins-then-success",
                "host-heartbeat-stopped", "order-not-shipped", "products-latency-shift");
    }

    /** One table per signal: every field in catalog order with its type. */
    static String expected() {
        StringBuilder sb = new StringBuilder();
        for (Signal signal : Signal.values()) {
            if (!sb.isEmpty()) sb.append("\n");
            sb.append("#### `").append(signal.yamlName()).append("`\n\n| field | type |\n|---|---|\n");
            for (String field : EventFields.names(signal)) {
                sb.append("| `").append(field).append("` | ").append(EventFields.type(signal, field).name().toLowerCase(Locale.ROOT)).append(" |\n");
            }
        }
        return sb.toString().strip();
    }
}
