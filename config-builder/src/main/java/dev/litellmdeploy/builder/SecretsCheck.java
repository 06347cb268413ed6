package dev.litellmdeploy.builder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.litellmdeploy.builder.secrets.SecretSource;

/**
 * {@code secrets check}: which files of the secrets directory open (plain, sops, age), which keys each holds, and,
 * given the templates, which keys no template uses. Names only: no value is part of the report.
 */
public final class SecretsCheck {
    /** One file: how it is stored, whether it opened, the key paths it gave (with their line when known), its problems. */
    public record FileReport(String file, String protection, boolean opened, List<String> keys, List<Finding> problems) {
    }

    /**
     * Every file, the template findings (unused-secret warnings among them) and whether anything failed; {@code masks}
     * are the secret strings that opened, for the output masks only (never part of what is printed).
     */
    public record Report(List<FileReport> files, List<Finding> templateFindings, List<Finding> otherProblems, List<String> masks) {
        public boolean ok() {
            return files.stream().allMatch(FileReport::opened) && otherProblems.stream().noneMatch(Finding::isError)
                    && templateFindings.stream().noneMatch(Finding::isError);
        }
    }

    private final SecretsLoader loader;

    public SecretsCheck(SecretsLoader loader) {
        this.loader = loader;
    }

    /** @param templatesDir null: no unused-key check */
    public Report check(Path secretsDir, Path templatesDir) throws ConfigValidationException, IOException {
        SecretsLoader.Inspection inspection = loader.inspect(secretsDir);
        List<FileReport> files = new ArrayList<>();
        List<Finding> placed = new ArrayList<>();
        for (String file : inspection.files()) {
            List<Finding> problems = inspection.findings().stream().filter(f -> f.location().file().equals(file)).toList();
            placed.addAll(problems);
            List<String> keys = new ArrayList<>();
            String protection = file.endsWith(".age") ? SecretSource.Protection.AGE.label() : null;
            for (Map.Entry<String, SecretSource> e : inspection.context().sources().entrySet()) {
                if (e.getValue().file().equals(file) && inspection.context().leaves().containsKey(e.getKey())) {
                    keys.add(e.getKey() + (e.getValue().line() > 0 ? " (line " + e.getValue().line() + ")" : ""));
                    protection = e.getValue().protection().label();
                }
            }
            if (protection == null) {
                protection = problems.stream().anyMatch(f -> f.code().startsWith("secrets-sops") || f.code().startsWith("secrets-age"))
                        ? SecretSource.Protection.SOPS.label() : SecretSource.Protection.PLAIN.label();
            }
            files.add(new FileReport(file, protection, problems.stream().noneMatch(Finding::isError), keys, problems));
        }
        List<Finding> other = new ArrayList<>(inspection.findings());
        other.removeAll(placed);
        boolean loaded = inspection.findings().stream().noneMatch(Finding::isError);
        List<Finding> templates = templatesDir != null && loaded
                ? new ConfigBuilder(loader).templateFindings(templatesDir, inspection.context()) : List.of();
        return new Report(files, templates, other, inspection.context().secretStrings());
    }
}
