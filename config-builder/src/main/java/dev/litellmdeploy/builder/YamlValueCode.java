package dev.litellmdeploy.builder;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.regex.Pattern;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.TemplateContext;
import com.github.mustachejava.codes.ValueCode;

/**
 * A Mustache value tag that writes YAML. {@code {{x}}} standing for a whole YAML value becomes a
 * scalar that parses back to exactly x ({@link YamlScalars}); inside a larger scalar
 * ({@code https://{{host}}/v1}) it is pasted as is when that is safe and reported otherwise.
 * {@code {{{x}}}} is always raw. An undefined variable is recorded, not rendered as empty.
 */
final class YamlValueCode extends ValueCode {
    private static final Pattern VALUE_START = Pattern.compile("(?s)^(\\s*|.*[\\[{,]\\s*|.*[:?-]\\s+)$");
    private static final Pattern VALUE_END = Pattern.compile("(?s)^(\\s*|\\s*[,\\]}].*|\\s+#.*|\\s*:(\\s.*)?)$");

    private final RenderProblems problems;

    YamlValueCode(TemplateContext tc, DefaultMustacheFactory df, String variable, boolean encoded, RenderProblems problems) {
        super(tc, df, variable, encoded);
        this.problems = problems;
    }

    @Override
    public Writer execute(Writer writer, List<Object> scopes) {
        Object value = get(scopes);
        try {
            writer.write(render(writer, value));
        } catch (IOException e) {
            throw new MustacheException(e);
        }
        return appendText(run(writer, scopes));
    }

    private String render(Writer writer, Object value) {
        RenderProblems.Site site = new RenderProblems.Site(name, tc.file(), tc.line());
        if (value == null) {
            problems.undefined.add(site);
            return encoded ? "null" : "";
        }
        problems.used.add(name);
        if (!encoded) {
            return oh.stringify(value);
        }
        if (wholeValue(writer)) {
            return YamlScalars.toYaml(value);
        }
        String text = oh.stringify(value);
        if (value instanceof Number || value instanceof Boolean || YamlScalars.embeddable(text)) {
            return text;
        }
        problems.unsafeEmbeds.add(site);
        return "";
    }

    private boolean wholeValue(Writer writer) {
        String before = writer instanceof LineTrackingWriter tracking ? tracking.currentLine() : "";
        String after = appended == null ? "" : appended;
        int nl = after.indexOf('\n');
        if (nl >= 0) {
            after = after.substring(0, nl);
        }
        return VALUE_START.matcher(before).matches() && VALUE_END.matcher(after).matches();
    }
}
