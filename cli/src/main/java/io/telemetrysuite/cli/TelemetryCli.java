package io.telemetrysuite.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./telemetry}: run the suite's jobs locally, on files, and against the local Kafka broker. */
@Command(
        name = "telemetry",
        mixinStandardHelpOptions = true,
        version = "telemetry-suite 0.1.0",
        description = "Flink jobs that turn raw workload telemetry into what operators act on.",
        subcommands = {DemoCommand.class, RunCommand.class, BenchCommand.class, GenerateCommand.class, KafkaCommand.class, ArchiveCommand.class, RulesCommand.class, CommandLine.HelpCommand.class})
public final class TelemetryCli implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The CLI with its error handling: a bad input or config is the user's to fix, so say what and where, exit 2. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new TelemetryCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("telemetry: " + Errors.describe(e));
            if (System.getenv("TELEMETRY_DEBUG") != null) e.printStackTrace(commandLine.getErr());
            return 2;
        });
        return cli;
    }
}
