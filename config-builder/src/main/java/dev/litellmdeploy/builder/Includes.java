package dev.litellmdeploy.builder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code include:} resolved as the LiteLLM version the bundle pins does it, so validation sees the
 * config LiteLLM will run, with locations in the included files. The config.yaml written keeps its
 * {@code include:}; the included files go into the bundle beside it (as they are) and LiteLLM merges
 * them on the server.
 *
 * <ul>
 * <li>1.80.9 (and unknown versions): proxy_server.py {@code ProxyConfig._process_includes}. Entries are
 * read relative to the root config's folder, in order; for each top-level key of an included file a
 * list value extends the config's value ({@code config[key].extend}: an AttributeError when that value
 * is not a list) and any other value replaces it. A nested {@code include:} list is appended to the list
 * being read, so it is followed too, without any memory of what was read: a file read twice is merged
 * twice, and a cycle never ends (the proxy never starts).</li>
 * <li>1.108.7 and later: proxy/common_utils/config_includes.py {@code resolve_includes}. Recursive,
 * relative to the declaring file (the same folder here: included files are flat), each file read once;
 * list + list is concatenated, anything else replaced; a nested {@code include:} that is not a list of
 * strings is a ValueError.</li>
 * </ul>
 * Both: a missing file is a FileNotFoundError, an empty file adds nothing, a file that is not a mapping
 * fails the start.
 */
final class Includes {
    static final String KEY = "include";
    private static final int MAX_READS = 64;
    /** Finding codes for an included file that could not be read: the merged view is then incomplete. */
    static final Set<String> UNREAD = Set.of("include-not-found", "include-refused", "include-not-a-mapping", "invalid-yaml");

    /** The merged view (the assembled config itself when it has no usable include list) and the files to bundle. */
    record Resolved(AssembledConfig merged, Map<String, String> files, List<Finding> findings) {
    }

    private final Path dir;
    private final boolean recursiveOnce;
    private final List<Finding> findings = new ArrayList<>();
    private final Map<String, String> files = new LinkedHashMap<>();
    private final Map<String, LocatedYaml> parsed = new HashMap<>();
    private final List<LocatedYaml> documents = new ArrayList<>();

    private Includes(Path dir, String litellmVersion) {
        this.dir = dir;
        this.recursiveOnce = LiteLLMVersion.atLeast(litellmVersion, "1.108.7");
    }

    /** DIR: the folder include names are relative to (the config's, or the templates directory). */
    static Resolved resolve(AssembledConfig root, Path dir, String litellmVersion) {
        if (!(root.config().get(KEY) instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            return new Resolved(root, Map.of(), List.of()); // not a list of names: ConfigValidator's include-not-a-list says so
        }
        return new Includes(dir, litellmVersion).run(root);
    }

    private record Pending(String name, Location declared) {
    }

    private Resolved run(AssembledConfig root) {
        Map<String, Object> config = new LinkedHashMap<>(root.config());
        Map<String, List<AssembledConfig.EntrySource>> sources = new HashMap<>();
        sources.put("model_list", new ArrayList<>(root.entrySources()));
        documents.addAll(root.documents());
        Deque<Pending> pending = new ArrayDeque<>(entries(root.config().get(KEY), root::locate));
        Set<String> read = new HashSet<>();
        int reads = 0;
        while (!pending.isEmpty()) {
            Pending p = pending.removeFirst();
            if (recursiveOnce && !read.add(p.name())) {
                continue;
            }
            LocatedYaml doc = load(p);
            if (doc == null) {
                continue;
            }
            Map<?, ?> included = doc.data() instanceof Map<?, ?> m ? m : Map.of();
            boolean nests = included.get(KEY) instanceof List<?> l && !l.isEmpty();
            if (!recursiveOnce && !read.add(p.name())) {
                if (nests || ++reads > MAX_READS) {
                    findings.add(Finding.error("include-cycle", p.declared(), "include " + p.name() + " is read again and names"
                            + " includes of its own: LiteLLM before 1.108.7 follows includes without remembering what it read, so"
                            + " it never finishes loading the config (the proxy never starts). Remove the cycle"));
                    break;
                }
                findings.add(Finding.warning("include-twice", p.declared(), "include " + p.name() + " is read a second time:"
                        + " LiteLLM before 1.108.7 merges it again (its model entries count twice)"));
            }
            documents.add(doc);
            merge(config, sources, included, doc);
            pending.addAll(nested(included.get(KEY), doc));
        }
        config.remove(KEY);
        List<AssembledConfig.EntrySource> modelSources = sources.get("model_list");
        return new Resolved(new AssembledConfig(config, modelSources, List.copyOf(documents)), Map.copyOf(files), List.copyOf(findings));
    }

    private List<Pending> nested(Object value, LocatedYaml doc) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            if (recursiveOnce) {
                findings.add(Finding.error("include-not-a-list", doc.locate(KEY),
                        "include must be a list of file names; LiteLLM refuses to start otherwise (ValueError)"));
            } // 1.80.9: config["include"] = value, then deleted: ignored
            return List.of();
        }
        return entries(list, doc::locate);
    }

    private static List<Pending> entries(Object list, java.util.function.Function<String, Location> locate) {
        List<Pending> out = new ArrayList<>();
        List<?> names = (List<?>) list;
        for (int i = 0; i < names.size(); i++) {
            out.add(new Pending((String) names.get(i), locate.apply(KEY + "[" + i + "]")));
        }
        return out;
    }

    private LocatedYaml load(Pending p) {
        if (parsed.containsKey(p.name())) {
            return parsed.get(p.name());
        }
        String refusal = !documents.isEmpty() && p.name().equals(documents.get(0).file())
                ? "is the config itself (the bundle names it config.yaml, so LiteLLM would read it again as another file)"
                : ExtraFiles.refusal(p.name());
        if (refusal != null) {
            findings.add(Finding.error("include-refused", p.declared(), "include " + p.name() + " " + refusal));
            parsed.put(p.name(), null);
            return null;
        }
        LocatedYaml doc = null;
        try {
            String text = ExtraFiles.read(dir, p.name());
            if (text == null) {
                findings.add(Finding.error("include-not-found", p.declared(), "include file not found: " + p.name()
                        + " (LiteLLM reads it from the config's folder and fails at start without it: FileNotFoundError)"));
            } else {
                doc = LocatedYaml.parse(p.name(), text.startsWith("\uFEFF") ? text.substring(1) : text);
                findings.addAll(doc.warnings());
                if (doc.data() != null && !(doc.data() instanceof Map<?, ?>)) {
                    findings.add(Finding.error("include-not-a-mapping", Location.of(p.name(), 1),
                            "an included file must be a mapping of config sections; LiteLLM fails at start otherwise"));
                    doc = null;
                } else if (doc.data() instanceof Map<?, ?> m && m.containsKey(ProviderDefaults.PROVIDERS)) {
                    findings.add(Finding.error("include-providers", doc.locate(ProviderDefaults.PROVIDERS), "providers (litellm-deploy's"
                            + " provider defaults) apply to the templates, not to an included file, which LiteLLM reads as it is"));
                } else {
                    files.put(p.name(), text);
                }
            }
        } catch (ConfigValidationException e) {
            findings.addAll(e.findings());
        } catch (IOException e) {
            findings.add(Finding.error("include-refused", p.declared(), "include " + p.name() + " " + e.getMessage()));
        }
        parsed.put(p.name(), doc);
        return doc;
    }

    @SuppressWarnings("unchecked")
    private void merge(Map<String, Object> config, Map<String, List<AssembledConfig.EntrySource>> sources, Map<?, ?> included, LocatedYaml doc) {
        for (Map.Entry<?, ?> e : included.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (KEY.equals(key)) {
                continue;
            }
            Object value = e.getValue();
            Object base = config.get(key);
            List<AssembledConfig.EntrySource> from = new ArrayList<>();
            if (value instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    from.add(new AssembledConfig.EntrySource(doc, key + "[" + i + "]"));
                }
            }
            if (value instanceof List<?> list && base instanceof List<?> existing) {
                List<Object> joined = new ArrayList<>((List<Object>) existing);
                joined.addAll(list);
                config.put(key, joined);
                sources.computeIfAbsent(key, k -> new ArrayList<>()).addAll(from);
            } else {
                if (!recursiveOnce && value instanceof List<?> && config.containsKey(key)) {
                    findings.add(Finding.error("include-list-onto-non-list", doc.locate(key), key + " is a list here but not in the"
                            + " config that includes this file: LiteLLM before 1.108.7 fails at start (it extends the value: AttributeError)"));
                }
                config.put(key, value);
                sources.put(key, from);
            }
        }
    }
}
