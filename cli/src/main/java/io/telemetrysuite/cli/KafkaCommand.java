package io.telemetrysuite.cli;

import io.telemetrysuite.services.KafkaBrokerDaemon;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ./telemetry kafka start|stop|status}: the local KRaft broker, kept running between commands. */
@Command(name = "kafka", description = "Start, stop or inspect the local Kafka broker (KRaft, 127.0.0.1:9092, data in .telemetry/kafka).",
        subcommands = {KafkaCommand.Start.class, KafkaCommand.Stop.class, KafkaCommand.Status.class})
final class KafkaCommand {

    @Command(name = "start", description = "Start the broker in the background (no-op if it runs).")
    static final class Start implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.println(KafkaBrokerDaemon.forRepo().start().describe());
            return 0;
        }
    }

    @Command(name = "stop", description = "Stop the broker; its data stays for the next start.")
    static final class Stop implements Callable<Integer> {
        @Override
        public Integer call() {
            boolean stopped = KafkaBrokerDaemon.forRepo().stop();
            System.out.println(stopped ? "Kafka stopped." : "Kafka was not running.");
            return 0;
        }
    }

    @Command(name = "status", description = "Say whether the broker runs and where; exit 1 if it does not.")
    static final class Status implements Callable<Integer> {
        @Override
        public Integer call() {
            KafkaBrokerDaemon.Status status = KafkaBrokerDaemon.forRepo().status();
            System.out.println(status.describe());
            return status.running() ? 0 : 1;
        }
    }
}
