package dev.litellmdeploy.builder;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.mustachejava.MustacheException;

/**
 * Renders litellm.service: from {@code litellm.service.mustache} in the templates directory when
 * there is one, else the default shipped in this jar (the repo's templates/litellm.service.mustache).
 */
final class UnitRenderer {
    static final String TEMPLATE = "litellm.service.mustache";
    static final String DEFAULT_RESOURCE = "/litellm-deploy/templates/" + TEMPLATE;

    String render(Path templatesDir, BundleOptions options) throws ConfigValidationException {
        RenderProblems problems = new RenderProblems();
        Path custom = templatesDir == null ? null : templatesDir.resolve(TEMPLATE);
        YamlMustacheFactory factory = new YamlMustacheFactory(templatesDir == null ? new java.io.File(".") : templatesDir.toFile(),
                problems, false);
        LineTrackingWriter out = new LineTrackingWriter();
        try (Reader reader = open(custom)) {
            factory.compile(reader, custom != null && Files.isRegularFile(custom) ? TEMPLATE : "(default) " + TEMPLATE)
                    .execute(out, List.<Object>of(context(options)));
        } catch (MustacheException e) {
            throw new ConfigValidationException(Finding.error("template-syntax", Location.of(TEMPLATE, 0),
                    "Mustache syntax error: " + e.getMessage()));
        } catch (IOException e) {
            throw new ConfigValidationException(Finding.error("template-unreadable", Location.of(TEMPLATE, 0), e.getMessage()));
        }
        if (!problems.undefined.isEmpty()) {
            List<Finding> findings = new ArrayList<>();
            for (RenderProblems.Site s : problems.undefined) {
                findings.add(Finding.error("undefined-variable", Location.of(s.file(), s.line()),
                        "{{" + s.variable() + "}} is not a unit template variable; known: "
                                + String.join(", ", context(options).keySet())));
            }
            throw new ConfigValidationException(findings);
        }
        return out.toString();
    }

    private static Reader open(Path custom) throws IOException {
        if (custom != null && Files.isRegularFile(custom)) {
            return Files.newBufferedReader(custom, StandardCharsets.UTF_8);
        }
        InputStream in = UnitRenderer.class.getResourceAsStream(DEFAULT_RESOURCE);
        if (in == null) {
            throw new IOException("the default unit template is missing from the jar: " + DEFAULT_RESOURCE);
        }
        return new InputStreamReader(in, StandardCharsets.UTF_8);
    }

    static Map<String, Object> context(BundleOptions o) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("unit_name", "litellm.service");
        c.put("litellm_version", o.litellmVersion());
        c.put("python_version", o.pythonVersion());
        c.put("host", o.host());
        c.put("port", o.port());
        c.put("user", o.serviceUser());
        c.put("home", o.serviceHome());
        c.put("config_path", o.configPath());
        c.put("uvx", o.uvxPath());
        c.put("python_env", o.pythonEnv() == null ? false : o.pythonEnv());
        c.put("env_file", o.envFileMode() ? o.envFilePath() : false);
        List<String> lines = new ArrayList<>();
        o.environment().forEach((k, v) -> lines.add("Environment=\"" + k + "=" + v.replace("\\", "\\\\").replace("\"", "\\\"")
                .replace("%", "%%") + "\""));
        c.put("environment_lines", lines);
        return c;
    }
}
