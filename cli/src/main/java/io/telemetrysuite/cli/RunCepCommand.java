package io.telemetrysuite.cli;

import io.telemetrysuite.cep.CepRun;
import io.telemetrysuite.cep.rule.Rule;
import io.telemetrysuite.cep.rule.RuleLoader;
import io.telemetrysuite.config.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./telemetry run cep}: ingest parsing (sampling off), then the rules of a folder; writes alerts.jsonl. */
@Command(name = "cep", mixinStandardHelpOptions = true,
        description = "Ingest parsing (sampling off), then every rule of the rule folder, each its own CEP operator. "
                + "Writes alerts.jsonl: one alert per line (ruleId, kind, severity, status firing/resolved, labels, eventTime, ...). "
                + "The end of the input passes every deadline, so absences pending at the end fire.")
final class RunCepCommand implements Callable<Integer> {
    @Option(names = "--rules", defaultValue = "cep-rules", description = "Rule folder or file (default: ${DEFAULT-VALUE}).")
    Path rules;

    @Option(names = "--input", required = true, split = ",",
            description = "A file or folder, as run ingest accepts: OTLP JSON lines or protobuf, suite records.")
    List<Path> inputs;

    @Option(names = "--output", required = true, description = "Folder for alerts.jsonl (created if missing).")
    Path output;

    @Option(names = "--config", description = "Ingest config YAML (sampling is turned off whatever it says).")
    Path config;

    @Option(names = "--parallelism", defaultValue = "2", description = "Parallelism of the local run (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Override
    public Integer call() throws Exception {
        List<Rule> ruleSet;
        try {
            ruleSet = RuleLoader.load(rules);
        } catch (ConfigException e) {
            e.getProblems().forEach(p -> System.err.println(p.getMessage()));
            System.err.println("cep: the rule set is invalid; nothing was run");
            return 2;
        }
        long alerts = CepRun.run(ruleSet, inputs, output, config, parallelism);
        System.out.println("cep: " + RulesCommand.plural(ruleSet.size(), "rule") + ", " + alerts + " alerts");
        System.out.println("outputs:");
        System.out.println("  " + output.resolve(CepRun.ALERTS) + "  (" + alerts + " lines)");
        return 0;
    }
}
