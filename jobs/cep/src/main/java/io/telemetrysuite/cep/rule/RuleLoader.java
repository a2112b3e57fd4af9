package io.telemetrysuite.cep.rule;

import io.telemetrysuite.config.ConfigException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads and validates every {@code *.yaml} file of a rule folder (or one file) into rules. Every
 * problem in every file is reported together, each with its file, line, column and field.
 */
public final class RuleLoader {
    private RuleLoader() {}

    /** The rules of {@code dirOrFile}, in file-name then file order; throws with every problem found. */
    public static List<Rule> load(Path dirOrFile) throws ConfigException {
        throw new UnsupportedOperationException("RuleLoader is being written");
    }
}
