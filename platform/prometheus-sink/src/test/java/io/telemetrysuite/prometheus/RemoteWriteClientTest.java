package io.telemetrysuite.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.services.PrometheusServer;
import io.telemetrysuite.services.junit.PrometheusExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Remote write against the real Prometheus 2.42: old timestamps, what it refuses, and when it is away. */
@ExtendWith(PrometheusExtension.class)
class RemoteWriteClientTest {
    private final String run = UUID.randomUUID().toString();

    @Test
    void sampleWithAnOldTimestampIsReadBackWithPromQL(PrometheusServer prometheus) throws Exception {
        RemoteWriteClient client = new RemoteWriteClient(prometheus.remoteWriteUrl(), Duration.ofSeconds(10));
        long twoDaysAgo = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toEpochMilli();

        RemoteWriteClient.Result result = client.send(List.of(PrometheusSample.of("rw_test_value", Map.of("run", run), 42.5, twoDaysAgo)));

        assertThat(result.outcome()).as(result.toString()).isEqualTo(RemoteWriteClient.Outcome.ACCEPTED);
        assertThat(result.status()).isEqualTo(204);
        assertThat(prometheus.valueAt("rw_test_value{run=\"" + run + "\"}", twoDaysAgo / 1000.0)).isEqualTo(42.5);
        // Instant queries look back 5 minutes, no further.
        assertThat(prometheus.valueAt("rw_test_value{run=\"" + run + "\"}", twoDaysAgo / 1000.0 + 301)).isNull();
    }

    @Test
    void samplesOlderThanTheOutOfOrderWindowAreRejectedForGood(PrometheusServer prometheus) throws Exception {
        RemoteWriteClient client = new RemoteWriteClient(prometheus.remoteWriteUrl(), Duration.ofSeconds(10));
        long now = System.currentTimeMillis();
        // A current sample first: the TSDB head's range starts at the first sample it ever got, so an
        // empty Prometheus would take the old one.
        assertThat(client.send(List.of(PrometheusSample.of("rw_test_value", Map.of("run", run), 1, now))).outcome())
                .isEqualTo(RemoteWriteClient.Outcome.ACCEPTED);

        RemoteWriteClient.Result old = client.send(List.of(
                PrometheusSample.of("rw_test_value", Map.of("run", run), 2, now - Duration.ofDays(60).toMillis())));

        assertThat(old.outcome()).as(old.toString()).isEqualTo(RemoteWriteClient.Outcome.REJECTED);
        // 2.42 says 500 here (a 400 in later releases); the client knows it is final all the same.
        assertThat(old.status()).isEqualTo(500);
        assertThat(old.message()).contains("too old sample");
    }

    @Test
    void resendingAnOutOfOrderSampleDoesNotDuplicateIt(PrometheusServer prometheus) throws Exception {
        // At-least-once: after a restore the sink re-sends what was in flight. Behind a newer sample
        // the old one lands in the out-of-order head; sent twice, it must still count once.
        RemoteWriteClient client = new RemoteWriteClient(prometheus.remoteWriteUrl(), Duration.ofSeconds(10));
        long now = System.currentTimeMillis();
        long old = now - Duration.ofDays(1).toMillis();
        PrometheusSample sample = PrometheusSample.of("rw_dup_value", Map.of("run", run), 5, old);
        assertThat(client.send(List.of(PrometheusSample.of("rw_dup_value", Map.of("run", run), 9, now))).outcome())
                .isEqualTo(RemoteWriteClient.Outcome.ACCEPTED);
        assertThat(client.send(List.of(sample)).outcome()).isEqualTo(RemoteWriteClient.Outcome.ACCEPTED);
        RemoteWriteClient.Result again = client.send(List.of(sample));

        assertThat(again.outcome()).as(again.toString()).isEqualTo(RemoteWriteClient.Outcome.ACCEPTED);
        assertThat(prometheus.valueAt("count_over_time(rw_dup_value{run=\"" + run + "\"}[1m])", old / 1000.0)).isEqualTo(1.0);
    }

    @Test
    void nobodyListeningIsRetryable() throws Exception {
        RemoteWriteClient client = new RemoteWriteClient("http://127.0.0.1:1/api/v1/write", Duration.ofSeconds(2));
        RemoteWriteClient.Result result = client.send(List.of(PrometheusSample.of("x", 1, 1)));
        assertThat(result.outcome()).isEqualTo(RemoteWriteClient.Outcome.RETRYABLE);
        assertThat(result.status()).isZero();
    }
}
