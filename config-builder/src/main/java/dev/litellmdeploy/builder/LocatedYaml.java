package dev.litellmdeploy.builder;

import java.io.StringReader;
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
 */
record LocatedYaml(String file, Object data, Map<String, Integer> lines) {

    static LocatedYaml parse(String file, String text) throws ConfigValidationException {
        try {
            Object data = yaml().load(text);
            Map<String, Integer> lines = new HashMap<>();
            Node root = yaml().compose(new StringReader(text));
            if (root != null) {
                index(root, "", lines, 0);
            }
            return new LocatedYaml(file, data, lines);
        } catch (YAMLException e) {
            throw new ConfigValidationException(YamlErrors.toFinding("invalid-yaml", file, e));
        }
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
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

    private static void index(Node node, String path, Map<String, Integer> lines, int depth) {
        if (depth > 64) {
            return;
        }
        if (!path.isEmpty()) {
            lines.putIfAbsent(path, node.getStartMark().getLine() + 1);
        }
        if (node instanceof MappingNode mapping) {
            List<NodeTuple> tuples = mapping.getValue();
            for (NodeTuple t : tuples) {
                if (t.getKeyNode() instanceof ScalarNode key && !Tag.MERGE.equals(key.getTag())) {
                    String child = path.isEmpty() ? key.getValue() : path + "." + key.getValue();
                    lines.put(child, t.getKeyNode().getStartMark().getLine() + 1);
                    index(t.getValueNode(), child, lines, depth + 1);
                }
            }
            for (NodeTuple t : tuples) {
                if (Tag.MERGE.equals(t.getKeyNode().getTag())) {
                    Node merged = t.getValueNode();
                    if (merged instanceof SequenceNode seq) {
                        seq.getValue().forEach(n -> indexMerged(n, path, lines, depth));
                    } else {
                        indexMerged(merged, path, lines, depth);
                    }
                }
            }
        } else if (node instanceof SequenceNode seq) {
            for (int i = 0; i < seq.getValue().size(); i++) {
                index(seq.getValue().get(i), path + "[" + i + "]", lines, depth + 1);
            }
        }
    }

    /** Keys that come in through a merge key point at the anchor's lines unless the mapping sets them itself. */
    private static void indexMerged(Node merged, String path, Map<String, Integer> lines, int depth) {
        Map<String, Integer> mergedLines = new HashMap<>();
        index(merged, path, mergedLines, depth + 1);
        mergedLines.forEach(lines::putIfAbsent);
    }
}
