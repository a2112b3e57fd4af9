package io.telemetrysuite.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.telemetrysuite.alertmanager.AlertmanagerSink.BufferedAlert;
import io.telemetrysuite.model.Alert;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Alert-to-Alertmanager mapping at its edges, and the writer state's serializer. */
class AlertmanagerAlertsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void labelNamesAreMadeValidForAlertmanager025() {
        assertThat(AlertmanagerAlerts.labelName("service.name")).isEqualTo("service_name");
        assertThat(AlertmanagerAlerts.labelName("k8s.pod-name")).isEqualTo("k8s_pod_name");
        assertThat(AlertmanagerAlerts.labelName("9lives")).isEqualTo("_lives");
        assertThat(AlertmanagerAlerts.labelName("")).isEqualTo("_");
    }

    @Test
    void ruleIdAndSeverityWinOverLabelsOfTheSameNameAndEmptyValuesAreLeftOut() {
        Alert a = alert(Alert.FIRING, 1_000);
        a.labels = new java.util.HashMap<>(Map.of("alertname", "spoofed", "severity", "info", "host", "h1", "empty", ""));
        assertThat(AlertmanagerAlerts.labels(a)).containsExactly(
                Map.entry("alertname", "cpu-high"), Map.entry("host", "h1"), Map.entry("severity", "critical"));
    }

    @Test
    void timesAfterTheMomentOfSendingAreTakenAsThatMoment() {
        long now = 10_000_000;
        JsonNode firing = AlertmanagerAlerts.body(JSON, List.of(alert(Alert.FIRING, now + 5_000)), now, 240_000, 300_000, null).get(0);
        assertThat(firing.path("startsAt").asText()).isEqualTo(AlertmanagerAlerts.time(now));
        assertThat(firing.path("endsAt").asText()).isEqualTo(AlertmanagerAlerts.time(now + 240_000));
        assertThat(firing.has("generatorURL")).isFalse();

        Alert resolved = alert(Alert.RESOLVED, now + 5_000);
        resolved.startsAt = now - 60_000;
        JsonNode r = AlertmanagerAlerts.body(JSON, List.of(resolved), now, 240_000, 300_000, "http://flink:8081/#/job/x").get(0);
        assertThat(r.path("startsAt").asText()).isEqualTo(AlertmanagerAlerts.time(now - 60_000));
        assertThat(r.path("endsAt").asText()).as("a future endsAt would count as firing").isEqualTo(AlertmanagerAlerts.time(now));
        assertThat(r.path("generatorURL").asText()).isEqualTo("http://flink:8081/#/job/x");
    }

    @Test
    void kindsThatNeverResolveFireOnceForTheOneShotDuration() {
        Alert count = alert(Alert.FIRING, 1_000);
        count.kind = "count";
        JsonNode a = AlertmanagerAlerts.body(JSON, List.of(count), 2_000, 240_000, 300_000, null).get(0);
        assertThat(a.path("endsAt").asText()).isEqualTo(AlertmanagerAlerts.time(302_000));
        assertThat(AlertmanagerAlerts.resolves(count)).isFalse();
        assertThat(AlertmanagerAlerts.resolves(alert(Alert.FIRING, 1))).isTrue();
    }

    @Test
    void stateSerializerRoundTrips() throws Exception {
        var serializer = new AlertmanagerSink.BufferedAlertSerializer();
        Alert a = alert(Alert.FIRING, 1_700_000_000_123L);
        a.events = List.of("metric@1 value=0.93", "metric@2 value=0.95");
        BufferedAlert back = serializer.deserialize(serializer.getVersion(), serializer.serialize(new BufferedAlert(a, true)));
        assertThat(back.active()).isTrue();
        assertThat(back.alert()).usingRecursiveComparison().isEqualTo(a);
        assertThatThrownBy(() -> serializer.deserialize(2, new byte[0])).hasMessageContaining("version 2");
    }

    @Test
    void aBadAddressIsRefusedWhereTheJobIsBuilt() {
        assertThatThrownBy(() -> new AlertmanagerSink("127.0.0.1:9093")).hasMessageContaining("Not an http(s) Alertmanager address");
        assertThat(new AlertmanagerClient("http://127.0.0.1:9093/", java.time.Duration.ofSeconds(1)).url().toString())
                .isEqualTo("http://127.0.0.1:9093/api/v2/alerts");
    }

    private static Alert alert(String status, long eventTime) {
        Alert a = new Alert();
        a.ruleId = "cpu-high";
        a.kind = "threshold";
        a.severity = "critical";
        a.status = status;
        a.labels = new java.util.HashMap<>(Map.of("host", "h1"));
        a.annotations = new java.util.HashMap<>(Map.of("summary", "CPU above 90%"));
        a.eventTime = eventTime;
        a.summary = "3 samples above 0.9";
        return a;
    }
}
