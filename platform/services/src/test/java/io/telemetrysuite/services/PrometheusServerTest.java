package io.telemetrysuite.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts the real Prometheus binary: readiness, PromQL, scraping a target, restart on the same data. */
class PrometheusServerTest {

    @Test
    void scrapesATargetAndAnswersPromQL(@TempDir Path dir) throws Exception {
        // A stand-in for Flink's Prometheus reporter: one gauge in the text exposition format.
        HttpServer exporter = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        exporter.createContext("/metrics", exchange -> {
            byte[] body = "# TYPE test_gauge gauge\ntest_gauge{kind=\"x\"} 42\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        exporter.start();
        try (PrometheusServer prometheus = PrometheusServer.builder()
                .dataDir(dir)
                .scrapeTarget("127.0.0.1:" + exporter.getAddress().getPort())
                .scrapeInterval(Duration.ofMillis(200))
                .start()) {
            assertThat(prometheus.isRunning()).isTrue();
            assertThat(Files.readString(prometheus.configFile())).contains("out_of_order_time_window: 2592000s");
            assertThat(prometheus.valueAt("1 + 1", System.currentTimeMillis() / 1000.0)).isEqualTo(2.0);

            Double value = null;
            for (int i = 0; i < 100 && value == null; i++) {
                value = prometheus.valueAt("test_gauge{kind=\"x\"}", System.currentTimeMillis() / 1000.0);
                if (value == null) Thread.sleep(100);
            }
            assertThat(value).isEqualTo(42.0);
            assertThatThrownBy(() -> prometheus.query("sum(")).hasMessageContaining("parse error");
        } finally {
            exporter.stop(0);
        }
        // The caller's data directory outlives the server.
        assertThat(dir.resolve("data")).isDirectory();
    }

    @Test
    void missingBinaryNamesTheInstallScript() {
        assertThatThrownBy(() -> PrometheusServer.builder().binary(Path.of("/nonexistent/prometheus")).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("prometheus binary not found")
                .hasMessageContaining("deploy/install-prerequisites.sh");
    }
}
