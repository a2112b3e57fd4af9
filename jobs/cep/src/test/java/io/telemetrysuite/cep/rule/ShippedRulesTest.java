package io.telemetrysuite.cep.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.services.RepoLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rules shipped in {@code cep-rules/} load, one of every kind, with the keys and matches the demo's
 * anomalies need (whether they fire on the synthetic workload is the engine's test).
 */
class ShippedRulesTest {
    private static final Path DIR = RepoLayout.root().resolve("cep-rules");

    @Test
    void theShippedRulesLoadAndCoverEveryKind() {
        List<Rule> rules = RuleLoader.load(DIR);
        assertThat(rules).extracting(r -> r.id).containsExactly(
                "host-cpu-plateau", "host-heartbeat-stopped", "host-memory-high",
                "failed-logins-then-success", "login-failures-from-one-address",
                "payment-error-burst", "products-latency-shift");
        assertThat(rules).extracting(r -> r.kind).contains(RuleKind.values());
    }

    @Test
    void theFailedLoginSequenceIsFourFailuresThenASuccessOfOneUser() {
        Rule rule = byId("failed-logins-then-success");
        EventMatch failed = new EventMatch(Signal.SPAN, Map.of("name", "POST /api/login"), Map.of("http.response.status_code", "401"));
        EventMatch ok = new EventMatch(Signal.SPAN, Map.of("name", "POST /api/login"), Map.of("http.response.status_code", "200"));
        assertThat(rule.steps).extracting(s -> s.match).containsExactly(failed, failed, failed, failed, ok);
        assertThat(rule.by).containsExactly("enduser.id");
        assertThat(rule.within).isEqualTo(Duration.ofSeconds(30));
        assertThat(rule.strict).isFalse();
    }

    @Test
    void theCpuAndHeartbeatRulesKeyByHost() {
        assertThat(byId("host-cpu-plateau").condition).isEqualTo(new Condition("cpuPercent", Operator.GT, 90.0));
        assertThat(byId("host-cpu-plateau").forDuration).isEqualTo(Duration.ofMinutes(2));
        assertThat(byId("host-heartbeat-stopped").forDuration).isEqualTo(Duration.ofSeconds(30));
        assertThat(byId("host-heartbeat-stopped").by).containsExactly("host.name");
    }

    private static Rule byId(String id) {
        return RuleLoader.load(DIR).stream().filter(r -> r.id.equals(id)).findFirst().orElseThrow();
    }
}
