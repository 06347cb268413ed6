package dev.litellmdeploy.builder;

import java.util.List;
import java.util.stream.Collectors;

/** The inputs are invalid: every problem found, not just the first. Nothing was written. */
public final class ConfigValidationException extends Exception {
    private final transient List<Finding> findings;

    public ConfigValidationException(List<Finding> findings) {
        super(summary(findings));
        this.findings = List.copyOf(findings);
    }

    public ConfigValidationException(Finding finding) {
        this(List.of(finding));
    }

    public List<Finding> findings() {
        return findings;
    }

    private static String summary(List<Finding> findings) {
        long errors = findings.stream().filter(Finding::isError).count();
        return errors + (errors == 1 ? " error" : " errors") + " in the inputs:\n"
                + findings.stream().map(Finding::toString).collect(Collectors.joining("\n"));
    }
}
