package dev.litellmdeploy.builder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges rendered documents into one LiteLLM config: the skeleton first, then each model file
 * in name order. A document is either a list of model_list entries or a mapping; mappings'
 * model_list entries are concatenated, their other keys deep-merged into the skeleton.
 * Then provider defaults are applied ({@link ProviderDefaults}).
 */
final class ConfigAssembler {

    AssembledConfig assemble(List<LocatedYaml> documents) throws ConfigValidationException {
        List<Finding> findings = new ArrayList<>();
        Map<String, Object> config = new LinkedHashMap<>();
        List<Object> models = new ArrayList<>();
        List<AssembledConfig.EntrySource> sources = new ArrayList<>();
        boolean sawModelList = false;
        for (LocatedYaml doc : documents) {
            Object data = doc.data();
            if (data == null) {
                continue;
            }
            if (data instanceof List<?> list) {
                sawModelList = true;
                for (int i = 0; i < list.size(); i++) {
                    models.add(list.get(i));
                    sources.add(new AssembledConfig.EntrySource(doc, "[" + i + "]"));
                }
            } else if (data instanceof Map<?, ?> map) {
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    String key = String.valueOf(e.getKey());
                    if ("model_list".equals(key)) {
                        sawModelList = true;
                        if (e.getValue() instanceof List<?> list) {
                            for (int i = 0; i < list.size(); i++) {
                                models.add(list.get(i));
                                sources.add(new AssembledConfig.EntrySource(doc, "model_list[" + i + "]"));
                            }
                        } else if (e.getValue() != null) {
                            findings.add(Finding.error("model-list-not-a-list", doc.locate("model_list"),
                                    "model_list must be a list of model entries"));
                        }
                        config.putIfAbsent("model_list", models);
                    } else {
                        deepMerge(config, key, e.getValue(), doc, key, findings);
                    }
                }
            } else {
                findings.add(Finding.error("document-not-a-mapping", Location.of(doc.file(), 1),
                        "renders to a " + data.getClass().getSimpleName() + "; expected a mapping or a list of model entries"));
            }
        }
        if (sawModelList) {
            Map<String, Object> ordered = new LinkedHashMap<>();
            ordered.put("model_list", models);
            config.forEach(ordered::putIfAbsent);
            config = ordered;
        }
        if (findings.stream().anyMatch(Finding::isError)) {
            throw new ConfigValidationException(findings);
        }
        AssembledConfig assembled = new AssembledConfig(config, sources, documents);
        new ProviderDefaults().apply(assembled);
        return assembled;
    }

    @SuppressWarnings("unchecked")
    private static void deepMerge(Map<String, Object> target, String key, Object value, LocatedYaml doc, String path,
            List<Finding> findings) {
        Object existing = target.get(key);
        if (existing instanceof Map<?, ?> && value instanceof Map<?, ?> incoming) {
            Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) existing);
            for (Map.Entry<?, ?> e : incoming.entrySet()) {
                String k = String.valueOf(e.getKey());
                deepMerge(merged, k, e.getValue(), doc, path + "." + k, findings);
            }
            target.put(key, merged);
        } else {
            if (target.containsKey(key) && !java.util.Objects.equals(existing, value)) {
                findings.add(Finding.warning("setting-overridden", doc.locate(path),
                        "'" + path + "' overrides the value an earlier template set"));
            }
            target.put(key, value);
        }
    }
}
