package io.telemetrysuite.cli;

import io.telemetrysuite.cep.rule.Rule;
import io.telemetrysuite.cep.rule.RuleLoader;
import io.telemetrysuite.cep.rule.RuleSetDiff;
import io.telemetrysuite.cli.cluster.CepRulesArg;
import io.telemetrysuite.cli.cluster.ClusterJob;
import io.telemetrysuite.cli.cluster.ClusterTarget;
import io.telemetrysuite.cli.cluster.JobLifecycle;
import io.telemetrysuite.cli.cluster.RuleSnapshots;
import io.telemetrysuite.config.ConfigException;
import io.telemetrysuite.services.RepoLayout;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./telemetry rules validate [DIR]}: the CEP job's rule files, checked before a job is started on
 * them; {@code ./telemetry rules apply [DIR]}: the running CEP job switched to them, keeping the state of
 * every rule that did not change.
 */
@Command(name = "rules", description = "Check the CEP job's rule files (default cep-rules/), or apply them to the running CEP job.",
        subcommands = {RulesCommand.Validate.class, RulesCommand.Apply.class})
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
                return refuse(e, err);
            }
        }
    }

    @Command(name = "apply", description = "Validate the rules of DIR, show how they differ from the rules the running CEP job uses, and if"
            + " they differ, stop the job with a savepoint and resume it from there on a frozen copy of DIR (.telemetry/rules/<time>/):"
            + " unchanged rules keep their state, removed rules' state is dropped, added and modified rules start empty. An invalid"
            + " set is refused (exit 2) and the job is not touched.")
    static final class Apply implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "a rule folder or file (default: " + DEFAULT_DIR
                + "/ under the repository root)")
        Path dir;

        @Option(names = "--dry-run", description = "Print what would change and stop there.")
        boolean dryRun;

        @Mixin
        ClusterTarget target;

        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            Path root = RepoLayout.root();
            Path base = dir != null ? dir : shortest(root.resolve(DEFAULT_DIR));
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<Rule> next;
            try {
                next = RuleLoader.load(base);
            } catch (ConfigException e) {
                int exit = refuse(e, err);
                err.println("Nothing applied: the running " + ClusterJob.CEP.flinkName + " job is not touched.");
                err.flush();
                return exit;
            }
            JobLifecycle lifecycle = new JobLifecycle(target.rest(), root);
            JobLifecycle.Running running = lifecycle.running(ClusterJob.CEP);
            // Jobs submitted by `submit cep` always carry a frozen copy; a relative path is the job's default, read in the checkout.
            Path current = root.resolve(CepRulesArg.of(running.args()).orElse(CepRulesArg.DEFAULT));
            List<Rule> before;
            try {
                before = RuleLoader.load(current);
            } catch (ConfigException e) {
                throw new IllegalStateException("Cannot read the rules " + running.job().name() + " runs on (" + current + "), so cannot tell"
                        + " what changed: " + e.getMessage());
            }
            RuleSetDiff diff = RuleSetDiff.between(before, next);
            out.println(running.job().name() + " (" + running.job().id() + ") runs the rules of " + current);
            out.println("Changes in " + base + ":");
            out.println("  added:    " + ids(diff.added()));
            out.println("  removed:  " + ids(diff.removed()));
            out.println("  modified: " + (diff.modified().isEmpty() ? "-" : diff.modified().stream()
                    .map(m -> m.after().id + " (" + m.changes().stream().map(c -> c.substring(0, c.indexOf(' '))).collect(Collectors.joining(", "))
                            + ")")
                    .collect(Collectors.joining(", "))));
            out.println("  kept:     " + ids(diff.kept()));
            if (diff.isEmpty()) {
                out.println("No rule changed: " + running.job().name() + " keeps running as " + running.job().id() + ".");
                out.flush();
                return 0;
            }
            if (dryRun) {
                out.println("Dry run: " + running.job().name() + " keeps running as " + running.job().id() + ".");
                out.flush();
                return 0;
            }
            out.flush();
            Path snapshot = new RuleSnapshots(root).snapshot(base);
            String[] savepointAndJob;
            try {
                savepointAndJob = lifecycle.replace(ClusterJob.CEP, running, CepRulesArg.with(running.args(), snapshot));
            } catch (JobLifecycle.ResubmitFailed e) {
                // No cause attached: the CLI prints the innermost cause, and this sentence is the one that says what to do.
                throw new IllegalStateException(e.getMessage() + ". " + running.job().name() + " is stopped; resume it on its old rules with"
                        + " `./telemetry submit cep --from-savepoint " + e.savepoint + " -- " + String.join(" ", running.args()) + "`");
            }
            out.println("Stopped " + running.job().name() + " with savepoint " + savepointAndJob[0]);
            out.println("Resumed " + running.job().name() + " on " + snapshot + ": job id " + savepointAndJob[1]);
            out.flush();
            return 0;
        }

        private static String ids(List<Rule> rules) {
            return rules.isEmpty() ? "-" : rules.stream().map(r -> r.id).collect(Collectors.joining(", "));
        }
    }

    /** Every problem as file:line:column: field: problem, then a count; exit code 2. */
    private static int refuse(ConfigException e, PrintWriter err) {
        List<ConfigException> problems = e.getProblems();
        problems.forEach(p -> err.println(p.getMessage()));
        long badFiles = problems.stream().map(ConfigException::getFile).distinct().count();
        err.println(plural(problems.size(), "problem") + " in " + plural((int) badFiles, "file"));
        err.flush();
        return 2;
    }

    /** The folder relative to the working directory when it is below it, so messages read {@code cep-rules/x.yaml:3:5}. */
    private static Path shortest(Path path) {
        Path cwd = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        return path.startsWith(cwd) && !path.equals(cwd) ? cwd.relativize(path) : path;
    }

    static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
