package dev.litellmdeploy.builder;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;

/**
 * Renders the templates with the secrets as context. Every problem across all files is collected:
 * syntax errors, undefined variables (with near names as suggestions), values that cannot be
 * embedded in a larger scalar. A secret no template used is a warning.
 */
final class TemplateRenderer {
    record Rendered(String file, String text) {
    }

    record Result(List<Rendered> documents, List<Finding> warnings) {
    }

    Result render(Path templatesDir, List<String> files, SecretContext context) throws ConfigValidationException {
        RenderProblems problems = new RenderProblems();
        YamlMustacheFactory factory = new YamlMustacheFactory(templatesDir.toFile(), problems, true);
        List<Finding> findings = new ArrayList<>();
        List<Rendered> out = new ArrayList<>();
        for (String file : files) {
            try {
                String source = Files.readString(templatesDir.resolve(file), StandardCharsets.UTF_8).replace("\r\n", "\n");
                Mustache mustache = factory.compile(new StringReader(source), file);
                LineTrackingWriter writer = new LineTrackingWriter();
                mustache.execute(writer, List.<Object>of(context.values()));
                out.add(new Rendered(file, writer.toString()));
            } catch (MustacheException e) {
                findings.add(syntaxError(file, e));
            } catch (IOException e) {
                findings.add(Finding.error("template-unreadable", Location.of(file, 0), "cannot be read: " + e.getMessage()));
            }
        }
        for (RenderProblems.Site site : problems.undefined) {
            List<String> near = NearNames.suggest(site.variable(), context.paths());
            findings.add(Finding.error("undefined-variable", Location.of(site.file(), site.line()),
                    "{{" + site.variable() + "}} is not defined in the secrets"
                            + (near.isEmpty() ? "" : "; did you mean " + String.join(", ", near) + "?")));
        }
        for (RenderProblems.Site site : problems.unsafeEmbeds) {
            findings.add(Finding.error("unsafe-embedded-value", Location.of(site.file(), site.line()),
                    "{{" + site.variable() + "}} sits inside a larger YAML value and its value holds characters that "
                            + "would change the YAML; make the tag the whole value (key: {{" + site.variable()
                            + "}}) or use {{{" + site.variable() + "}}} if you really want it raw"));
        }
        if (findings.stream().anyMatch(Finding::isError)) {
            throw new ConfigValidationException(findings);
        }
        findings.addAll(unusedSecrets(context, problems));
        return new Result(out, findings);
    }

    private static Finding syntaxError(String file, MustacheException e) {
        int line = e.getContext() != null ? e.getContext().line() : 0;
        String where = e.getContext() != null && e.getContext().file() != null ? e.getContext().file() : file;
        String message = e.getMessage() == null ? "syntax error" : e.getMessage().replaceAll("\\s*@\\[.*$", "");
        return Finding.error("template-syntax", Location.of(where, line), "Mustache syntax error: " + message);
    }

    private static List<Finding> unusedSecrets(SecretContext context, RenderProblems problems) {
        List<Finding> out = new ArrayList<>();
        for (Map.Entry<String, Object> leaf : context.leaves().entrySet()) {
            String path = leaf.getKey();
            boolean used = problems.used.stream().anyMatch(u -> path.equals(u) || path.endsWith("." + u)
                    || path.startsWith(u + ".") || u.endsWith("." + path));
            if (!used) {
                var source = context.sources().get(path);
                out.add(Finding.warning("unused-secret", Location.of(context.origins().getOrDefault(path, ""), source == null ? 0 : source.line()),
                        "'" + path + "' is not used by any template"));
            }
        }
        return out;
    }
}
