package io.telemetrysuite.cep.rule;

import io.telemetrysuite.config.ConfigException;
import io.telemetrysuite.config.ConfigNode;
import io.telemetrysuite.config.YamlConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads and validates every {@code *.yaml} file of a rule folder (or one file) into rules. Every
 * problem in every file is reported together, each with its file, line, column and field.
 *
 * <p>A folder's files are read in name order, not recursively; names starting with a dot (editor
 * backups) are skipped, and a {@code *.yml} file is refused rather than silently ignored. The file
 * format is the contract in {@code cep-rules/README.md}.
 */
public final class RuleLoader {
    private RuleLoader() {}

    /** The rules of {@code dirOrFile}, in file-name then file order; throws with every problem found. */
    public static List<Rule> load(Path dirOrFile) throws ConfigException {
        List<Path> files = files(dirOrFile);
        List<Parsed> parsed = new ArrayList<>();
        for (Path file : files) {
            if (file.getFileName().toString().endsWith(".yml")) {
                parsed.add(new Parsed(List.of(), List.of(new ConfigException(file.toString(), 0, 0, "",
                        "rule files end in .yaml; rename it so that it is read")), List.of()));
                continue;
            }
            ConfigNode root;
            try {
                root = YamlConfig.load(file);
            } catch (ConfigException e) {
                parsed.add(new Parsed(List.of(), e.getProblems(), List.of()));
                continue;
            }
            parsed.add(read(root));
        }
        return collect(parsed);
    }

    /** The rules of one file's text; {@code sourceName} names it in errors. */
    public static List<Rule> parse(String sourceName, String yaml) throws ConfigException {
        return collect(List.of(read(YamlConfig.parse(sourceName, yaml))));
    }

    /** The rule files {@code load} reads from {@code dirOrFile}, in the order it reads them. */
    public static List<Path> files(Path dirOrFile) {
        if (Files.isRegularFile(dirOrFile)) return List.of(dirOrFile);
        if (!Files.isDirectory(dirOrFile)) throw new ConfigException(dirOrFile.toString(), 0, 0, "", "no such file or folder");
        try (Stream<Path> list = Files.list(dirOrFile)) {
            return list.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> p.getFileName().toString().endsWith(".yaml") || p.getFileName().toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new ConfigException(dirOrFile.toString(), 0, 0, "", "cannot be listed: " + e, e);
        }
    }

    /** One file read: its rules that passed, the problems found, and each rule's id node (for duplicate ids across files). */
    private record Parsed(List<Rule> rules, List<ConfigException> problems, List<ConfigNode> idNodes) {}

    private static Parsed read(ConfigNode root) {
        Problems problems = new Problems();
        List<Rule> rules = new ArrayList<>();
        List<ConfigNode> idNodes = new ArrayList<>();
        if (!root.isMap()) {
            problems.add(root.error("expected a mapping with a rules: list, got " + MatchReader.kindOf(root)));
            return new Parsed(rules, problems.sorted(), idNodes);
        }
        problems.run(() -> root.rejectUnknownFields("rules"));
        ConfigNode list = problems.attempt(() -> root.required("rules"));
        if (list != null) {
            if (!list.isList()) {
                problems.add(list.error("expected a list of rules, got " + MatchReader.kindOf(list)));
            } else {
                for (ConfigNode entry : list.elements()) {
                    Rule rule = RuleReader.read(entry, problems);
                    if (rule != null) rules.add(rule);
                    // Ids of broken rules still count as taken, so a fix does not reveal a duplicate only next run.
                    if (entry.isMap() && entry.has("id")) idNodes.add(entry.required("id"));
                }
            }
        }
        return new Parsed(rules, problems.sorted(), idNodes);
    }

    private static List<Rule> collect(List<Parsed> parsed) {
        List<ConfigException> all = new ArrayList<>();
        List<Rule> rules = new ArrayList<>();
        Map<String, ConfigNode> firstById = new HashMap<>();
        for (Parsed p : parsed) {
            List<ConfigException> fileProblems = new ArrayList<>(p.problems());
            for (ConfigNode idNode : p.idNodes()) {
                String id;
                try {
                    id = idNode.asString();
                } catch (ConfigException e) {
                    continue; // already reported by the rule reader
                }
                ConfigNode first = firstById.putIfAbsent(id, idNode);
                if (first != null) {
                    fileProblems.add(idNode.error("duplicate id \"" + id + "\" (first defined at " + first.source() + ":"
                            + first.line() + ":" + first.column() + ", " + first.path() + "); ids are unique across all rule files"));
                }
            }
            fileProblems.sort(java.util.Comparator.comparingInt(ConfigException::getLine).thenComparingInt(ConfigException::getColumn));
            all.addAll(fileProblems);
            rules.addAll(p.rules());
        }
        if (!all.isEmpty()) throw ConfigException.combine(all);
        return List.copyOf(rules);
    }
}
