package dev.litellmdeploy.builder;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** Deterministic YAML out: block style, 2-space indent, LF, no line folding, no anchors (aliases expanded). */
final class YamlOutput {
    private YamlOutput() {
    }

    static String dump(Object data) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setSplitLines(false);
        options.setWidth(Integer.MAX_VALUE / 2);
        options.setLineBreak(DumperOptions.LineBreak.UNIX);
        options.setAllowUnicode(true);
        options.setDereferenceAliases(true);
        return new Yaml(options).dump(data);
    }
}
