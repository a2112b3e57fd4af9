package io.telemetrysuite.cli;

import io.telemetrysuite.cep.rule.Rule;
import io.telemetrysuite.cep.rule.RuleLoader;
import io.telemetrysuite.config.ConfigException;
import io.telemetrysuite.services.RepoLayout;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./telemetry rules validate [DIR]}: the CEP job's rule files, checked before a job is started on them. */
@Command(name = "rules", description = "Check the CEP job's rule files (default cep-rules/).",
        subcommands = {RulesCommand.Validate.class})
final class RulesCommand {
    /** Where the rules are unless a folder is given, relative to the repository root. */
    static final String DEFAULT_DIR = "cep-rules";

    @Command(name = "validate", description = "Read every *.yaml rule file of DIR (or one file) and print every problem as"
            + " file:line:column: field: problem; exit 0 when all are valid, 2 otherwise.")
    static final class Validate implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "a rule folder or file (default: " + DEFAULT_DIR
                + "/ under the repository root)")
        Path dir;

        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            Path base = dir != null ? dir : shortest(RepoLayout.root().resolve(DEFAULT_DIR));
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                List<Rule> rules = RuleLoader.load(base);
                int files = RuleLoader.files(base).size();
                out.println(plural(rules.size(), "rule") + " in " + plural(files, "file") + ": ok");
                out.flush();
                return 0;
            } catch (ConfigException e) {
                List<ConfigException> problems = e.getProblems();
                problems.forEach(p -> err.println(p.getMessage()));
                long badFiles = problems.stream().map(ConfigException::getFile).distinct().count();
                err.println(plural(problems.size(), "problem") + " in " + plural((int) badFiles, "file"));
                err.flush();
                return 2;
            }
        }

        /** The folder relative to the working directory when it is below it, so messages read {@code cep-rules/x.yaml:3:5}. */
        private static Path shortest(Path path) {
            Path cwd = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
            return path.startsWith(cwd) && !path.equals(cwd) ? cwd.relativize(path) : path;
        }
    }

    static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
