package io.telemetrysuite.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.telemetrysuite.services.junit.AlertmanagerExtension;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Starts the real Alertmanager binary through the extension and round-trips an alert. */
@ExtendWith(AlertmanagerExtension.class)
class AlertmanagerServerTest {

    @Test
    void postedAlertIsListed(AlertmanagerServer alertmanager) {
        String id = UUID.randomUUID().toString();
        alertmanager.postAlerts("[{\"labels\": {\"alertname\": \"TestAlert\", \"test\": \"" + id + "\"},"
                + " \"annotations\": {\"summary\": \"from a test\"}, \"startsAt\": \"" + Instant.now() + "\"}]");

        JsonNode mine = null;
        for (JsonNode alert : alertmanager.alerts()) {
            if (id.equals(alert.path("labels").path("test").asText())) mine = alert;
        }
        assertThat(mine).isNotNull();
        assertThat(mine.path("labels").path("alertname").asText()).isEqualTo("TestAlert");
        assertThat(mine.path("status").path("state").asText()).isEqualTo("active");
        assertThat(AlertmanagerExtension.server()).isSameAs(alertmanager);
    }

    @Test
    void rejectedAlertsSayWhy(AlertmanagerServer alertmanager) {
        assertThatThrownBy(() -> alertmanager.postAlerts("[{\"annotations\": {}}]"))
                .hasMessageContaining("rejected");
    }
}
