package io.telemetrysuite.cep.rule;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code {{attribute}}} placeholders of an annotation: which names a template uses (the loader
 * checks each is one the alert will carry as a label) and the template filled in from an alert's
 * labels. Spaces inside the braces are allowed ({@code {{ host.name }}}).
 */
public final class AnnotationTemplate {
    private AnnotationTemplate() {}

    /**
     * The placeholder names of {@code template}, in order.
     *
     * @throws IllegalArgumentException naming the problem when a {@code {{} is not closed or a placeholder is empty
     */
    public static List<String> names(String template) {
        List<String> names = new ArrayList<>();
        int at = 0;
        while (true) {
            int open = template.indexOf("{{", at);
            if (open < 0) return names;
            int close = template.indexOf("}}", open + 2);
            if (close < 0) throw new IllegalArgumentException("\"{{\" at character " + (open + 1) + " is not closed with \"}}\"");
            String name = template.substring(open + 2, close).strip();
            if (name.isEmpty()) throw new IllegalArgumentException("empty placeholder \"{{}}\" at character " + (open + 1));
            names.add(name);
            at = close + 2;
        }
    }

    /** {@code template} with every placeholder replaced by its label's value; a label that is missing leaves the placeholder as written. */
    public static String render(String template, Map<String, String> labels) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int open = template.indexOf("{{", at);
            int close = open < 0 ? -1 : template.indexOf("}}", open + 2);
            if (close < 0) return out.append(template, at, template.length()).toString();
            String value = labels.get(template.substring(open + 2, close).strip());
            out.append(template, at, open).append(value != null ? value : template.substring(open, close + 2));
            at = close + 2;
        }
    }
}
