package dev.litellmdeploy.builder;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One YAML document parsed twice over the same text: into plain Java values (anchors, aliases and
 * merge keys resolved by SnakeYAML) and into an index from paths such as
 * {@code model_list[2].litellm_params.rpm} to the 1-based line that defines them.
 *
 * <p>A key given twice in one mapping is a warning, not an error: LiteLLM reads its config with
 * PyYAML ({@code yaml.safe_load} in proxy_server.py ProxyConfig._load_yaml_file, 1.80.9 and
 * 1.108.7), which keeps the last value, and SnakeYAML with duplicate keys allowed does the same.
 */
record LocatedYaml(String file, Object data, Map<String, Integer> lines, List<Finding> warnings) {
    /** SnakeYAML logs each duplicate key to stderr itself; the duplicate-key finding says it once, with both lines. Held: JUL keeps loggers weakly. */
    private static final java.util.logging.Logger SNAKEYAML_LOG = quiet(java.util.logging.Logger.getLogger("org.yaml.snakeyaml"));

    private static java.util.logging.Logger quiet(java.util.logging.Logger logger) {
        logger.setLevel(java.util.logging.Level.SEVERE);
        return logger;
    }

    static LocatedYaml parse(String file, String text) throws ConfigValidationException {
        try {
            Object data = yaml().load(text);
            Map<String, Integer> lines = new HashMap<>();
            List<Finding> warnings = new ArrayList<>();
            Node root = yaml().compose(new StringReader(text));
            if (root != null) {
                index(file, root, "", lines, warnings, 0);
            }
            return new LocatedYaml(file, data, lines, List.copyOf(warnings));
        } catch (YAMLException e) {
            throw new ConfigValidationException(YamlErrors.toFinding("invalid-yaml", file, e));
        }
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true);
        options.setMaxAliasesForCollections(200);
        return new Yaml(new SafeConstructor(options));
    }

    /** The line of a path, or of its nearest parent that has one; 0 when nothing matches. */
    int lineOf(String path) {
        String p = path;
        while (!p.isEmpty()) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
        return 0;
    }

    Location locate(String path) {
        return Location.of(file, lineOf(path));
    }

    /** Indexes lines; {@code warnings} (null inside merged anchors, which are indexed where they are defined) gets duplicate keys. */
    private static void index(String file, Node node, String path, Map<String, Integer> lines, List<Finding> warnings, int depth) {
        if (depth > 64) {
            return;
        }
        if (!path.isEmpty()) {
            lines.putIfAbsent(path, node.getStartMark().getLine() + 1);
        }
        if (node instanceof MappingNode mapping) {
            List<NodeTuple> tuples = mapping.getValue();
            Map<String, Integer> firstLines = new HashMap<>();
            for (NodeTuple t : tuples) {
                if (t.getKeyNode() instanceof ScalarNode key && !Tag.MERGE.equals(key.getTag())) {
                    String child = path.isEmpty() ? key.getValue() : path + "." + key.getValue();
                    int line = t.getKeyNode().getStartMark().getLine() + 1;
                    Integer first = firstLines.putIfAbsent(key.getValue(), line);
                    if (first != null && warnings != null) {
                        warnings.add(Finding.warning("duplicate-key", Location.of(file, line), child + " is set twice, on lines "
                                + first + " and " + line + "; LiteLLM (PyYAML) keeps the last one, line " + line + ". Remove one"));
                    }
                    lines.put(child, line);
                    index(file, t.getValueNode(), child, lines, warnings, depth + 1);
                }
            }
            for (NodeTuple t : tuples) {
                if (Tag.MERGE.equals(t.getKeyNode().getTag())) {
                    Node merged = t.getValueNode();
                    if (merged instanceof SequenceNode seq) {
                        seq.getValue().forEach(n -> indexMerged(file, n, path, lines, depth));
                    } else {
                        indexMerged(file, merged, path, lines, depth);
                    }
                }
            }
        } else if (node instanceof SequenceNode seq) {
            for (int i = 0; i < seq.getValue().size(); i++) {
                index(file, seq.getValue().get(i), path + "[" + i + "]", lines, warnings, depth + 1);
            }
        }
    }

    /** Keys that come in through a merge key point at the anchor's lines unless the mapping sets them itself. */
    private static void indexMerged(String file, Node merged, String path, Map<String, Integer> lines, int depth) {
        Map<String, Integer> mergedLines = new HashMap<>();
        index(file, merged, path, mergedLines, null, depth + 1);
        mergedLines.forEach(lines::putIfAbsent);
    }
}
