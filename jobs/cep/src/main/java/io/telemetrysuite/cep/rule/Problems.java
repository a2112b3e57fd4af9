package io.telemetrysuite.cep.rule;

import io.telemetrysuite.config.ConfigException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * The problems found while reading one rule file, so that one run names every broken field instead
 * of stopping at the first: each read is attempted, a refusal is noted and reading goes on.
 */
final class Problems {
    private final List<ConfigException> found = new ArrayList<>();

    /** {@code read}'s value, or null after noting why it failed. */
    <T> T attempt(Supplier<T> read) {
        try {
            return read.get();
        } catch (ConfigException e) {
            add(e);
            return null;
        }
    }

    void run(Runnable check) {
        try {
            check.run();
        } catch (ConfigException e) {
            add(e);
        }
    }

    void add(ConfigException e) {
        found.addAll(e.getProblems());
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    int size() {
        return found.size();
    }

    /** The problems in file order (line, then column), the way an editor lists them. */
    List<ConfigException> sorted() {
        List<ConfigException> list = new ArrayList<>(found);
        list.sort(Comparator.comparingInt(ConfigException::getLine).thenComparingInt(ConfigException::getColumn));
        return list;
    }
}
