package io.telemetrysuite.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A configuration file that cannot be used, and exactly where and why: the file, the 1-based line
 * and column, the field path ({@code sampling.budgetPerService}, {@code rules[3].type}) and the
 * problem. The message reads {@code ingest.yaml:12:5: sampling.budgetPerService: expected a positive
 * number, got "fast"} so that editors and terminals can jump to the spot.
 *
 * <p>One exception may carry several problems found in the same file (see {@link #getProblems()});
 * its own getters then describe the first one, and its message lists the others on further lines.
 * A line of 0 means the problem has no position in the file (it could not be read, or a value
 * named by the file, such as a key file, is unusable).
 */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final int column;
    private final String field;
    private final String problem;
    private final List<ConfigException> problems;

    /**
     * @param file   the file (or {@code classpath:} resource) the problem is in
     * @param line   1-based line, or 0 when the problem has no position
     * @param column 1-based column, or 0 when the problem has no position
     * @param field  the field path, or empty for problems not tied to a field (such as YAML syntax)
     * @param problem what is wrong, for a person
     */
    public ConfigException(String file, int line, int column, String field, String problem) {
        this(file, line, column, field, problem, null);
    }

    public ConfigException(String file, int line, int column, String field, String problem, Throwable cause) {
        super(format(file, line, column, field, problem), cause);
        this.file = file;
        this.line = line;
        this.column = column;
        this.field = field == null ? "" : field;
        this.problem = problem;
        this.problems = List.of(this);
    }

    private ConfigException(List<ConfigException> all) {
        super(formatAll(all), all.get(0).getCause());
        ConfigException first = all.get(0);
        this.file = first.file;
        this.line = first.line;
        this.column = first.column;
        this.field = first.field;
        this.problem = first.problem;
        this.problems = Collections.unmodifiableList(new ArrayList<>(all));
    }

    /**
     * One exception for several problems, in the order given; problems that themselves carry
     * several are flattened. A list of one returns that exception unchanged.
     */
    public static ConfigException combine(List<ConfigException> exceptions) {
        if (exceptions.isEmpty()) throw new IllegalArgumentException("no problems to combine");
        List<ConfigException> flat = new ArrayList<>();
        for (ConfigException e : exceptions) flat.addAll(e.problems);
        return flat.size() == 1 ? flat.get(0) : new ConfigException(flat);
    }

    public String getFile() {
        return file;
    }

    /** 1-based; 0 when the problem has no position. */
    public int getLine() {
        return line;
    }

    /** 1-based; 0 when the problem has no position. */
    public int getColumn() {
        return column;
    }

    /** The field path such as {@code rules[2].maxLength}; empty when the problem is not about one field. */
    public String getField() {
        return field;
    }

    /** The problem alone, without file, position and field. */
    public String getProblem() {
        return problem;
    }

    /** Every problem this exception reports, this one's own first; each element has exactly one. */
    public List<ConfigException> getProblems() {
        return problems;
    }

    private static String format(String file, int line, int column, String field, String problem) {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) sb.append(':').append(line).append(':').append(column);
        sb.append(": ");
        if (field != null && !field.isEmpty()) sb.append(field).append(": ");
        return sb.append(problem).toString();
    }

    private static String formatAll(List<ConfigException> all) {
        StringBuilder sb = new StringBuilder(all.get(0).getMessage());
        sb.append("\n(").append(all.size()).append(" problems in all; the others:)");
        for (int i = 1; i < all.size(); i++) sb.append('\n').append(all.get(i).getMessage());
        return sb.toString();
    }
}
