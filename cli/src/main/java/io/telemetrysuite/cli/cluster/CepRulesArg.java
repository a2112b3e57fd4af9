package io.telemetrysuite.cli.cluster;

import io.telemetrysuite.cep.rule.RuleLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The CEP job's {@code --rules DIR} argument: read, replaced, and frozen into a {@link RuleSnapshots snapshot} at submission. */
public final class CepRulesArg {
    public static final String FLAG = "--rules";
    /** The folder {@code CepJob.main} reads without {@code --rules}, relative to the repository root. */
    public static final String DEFAULT = "cep-rules";

    private CepRulesArg() {}

    /** The value of {@code --rules} in {@code args}, if given. */
    public static Optional<String> of(List<String> args) {
        int i = args.indexOf(FLAG);
        return i >= 0 && i + 1 < args.size() ? Optional.of(args.get(i + 1)) : Optional.empty();
    }

    /** {@code args} with {@code --rules} set to {@code rules} (added if missing); the other arguments as they were. */
    public static List<String> with(List<String> args, Path rules) {
        List<String> out = new ArrayList<>(args);
        int i = out.indexOf(FLAG);
        if (i >= 0 && i + 1 < out.size()) {
            out.set(i + 1, rules.toString());
        } else {
            if (i >= 0) out.remove(i);
            out.add(FLAG);
            out.add(rules.toString());
        }
        return out;
    }

    /**
     * {@code args} with their rule folder (default {@code cep-rules/} of the checkout; a relative one is
     * taken from the working directory) validated and replaced by a fresh snapshot of it. An invalid set
     * throws the loader's {@code ConfigException} before anything is copied or submitted.
     */
    public static List<String> frozen(List<String> args, Path root) {
        Path rules = of(args).map(Path::of).orElse(root.resolve(DEFAULT)).toAbsolutePath().normalize();
        RuleLoader.load(rules);
        return with(args, new RuleSnapshots(root).snapshot(rules));
    }
}
