package dev.litellmdeploy.builder;

import java.io.File;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.DefaultMustacheVisitor;
import com.github.mustachejava.MustacheVisitor;
import com.github.mustachejava.TemplateContext;

/** Mustache.java with YAML-aware value tags; partials ({@code {{> name}}}) resolve under the templates directory. */
final class YamlMustacheFactory extends DefaultMustacheFactory {
    private final RenderProblems problems;
    private final boolean yaml;

    /** @param yaml true for YAML-aware value tags; false writes values as they are (for non-YAML files like the unit) */
    YamlMustacheFactory(File templatesRoot, RenderProblems problems, boolean yaml) {
        super(templatesRoot);
        this.problems = problems;
        this.yaml = yaml;
    }

    @Override
    public MustacheVisitor createMustacheVisitor() {
        return new DefaultMustacheVisitor(this) {
            @Override
            public void value(TemplateContext tc, String variable, boolean encoded) {
                list.add(new YamlValueCode(tc, df, variable, encoded && yaml, problems));
            }
        };
    }
}
