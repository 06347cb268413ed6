package dev.litellmdeploy.builder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Provider defaults, declared once and inherited by every model entry that names the provider:
 *
 * <pre>
 * providers:
 *   muffin-cloud:
 *     prefix: openai/            # prepended to litellm_params.model unless it starts with it
 *     litellm_params: {api_base: https://api.example.invalid/v1, api_key: {{muffin.api_key}}}
 *     model_info: {mode: chat}
 * model_list:
 *   - model_name: frontier-muffin
 *     provider: muffin-cloud
 *     litellm_params: {model: muffin-large, rpm: 60}   # the entry's own values win
 * </pre>
 *
 * The {@code providers} key and each entry's {@code provider} key are removed from the output
 * (LiteLLM does not know them).
 */
final class ProviderDefaults {
    static final String PROVIDERS = "providers";
    static final String PROVIDER = "provider";

    @SuppressWarnings("unchecked")
    void apply(AssembledConfig assembled) throws ConfigValidationException {
        Map<String, Object> config = assembled.config();
        Object declared = config.remove(PROVIDERS);
        Map<String, Object> providers = declared instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        List<Finding> findings = new ArrayList<>();
        if (declared != null && !(declared instanceof Map<?, ?>)) {
            findings.add(Finding.error("providers-not-a-mapping", assembled.locate(PROVIDERS),
                    "providers must map provider names to their defaults"));
        }
        Object list = config.get("model_list");
        if (list instanceof List<?> entries) {
            for (int i = 0; i < entries.size(); i++) {
                if (!(entries.get(i) instanceof Map<?, ?> entry) || !entry.containsKey(PROVIDER)) {
                    continue;
                }
                Map<String, Object> model = new LinkedHashMap<>((Map<String, Object>) entry);
                String name = String.valueOf(model.remove(PROVIDER));
                Object provider = providers.get(name);
                if (!(provider instanceof Map<?, ?> defaults)) {
                    List<String> near = NearNames.suggest(name, providers.keySet());
                    findings.add(Finding.error("unknown-provider", assembled.locate("model_list[" + i + "].provider"),
                            "provider '" + name + "' is not declared under providers: (in " + ConfigBuilder.SKELETON + ")"
                                    + (near.isEmpty() ? "" : " did you mean " + String.join(", ", near) + "?")));
                    continue;
                }
                inherit(model, "litellm_params", defaults.get("litellm_params"));
                inherit(model, "model_info", defaults.get("model_info"));
                if (defaults.get("prefix") instanceof String p && !p.isEmpty() && model.get("litellm_params") instanceof Map<?, ?> params
                        && params.get("model") instanceof String m) {
                    String prefix = p.endsWith("/") ? p : p + "/";
                    if (!m.startsWith(prefix)) {
                        ((Map<String, Object>) params).put("model", prefix + m);
                    }
                }
                ((List<Object>) list).set(i, model);
            }
        }
        if (!findings.isEmpty()) {
            throw new ConfigValidationException(findings);
        }
    }

    /** The entry's own values win; nested maps merge the same way. */
    @SuppressWarnings("unchecked")
    private static void inherit(Map<String, Object> model, String key, Object defaults) {
        if (!(defaults instanceof Map<?, ?> d)) {
            return;
        }
        Map<String, Object> merged = new LinkedHashMap<>();
        d.forEach((k, v) -> merged.put(String.valueOf(k), v));
        if (model.get(key) instanceof Map<?, ?> own) {
            for (Map.Entry<?, ?> e : own.entrySet()) {
                String k = String.valueOf(e.getKey());
                if (merged.get(k) instanceof Map<?, ?> base && e.getValue() instanceof Map<?, ?> mine) {
                    Map<String, Object> nested = new LinkedHashMap<>((Map<String, Object>) base);
                    mine.forEach((nk, nv) -> nested.put(String.valueOf(nk), nv));
                    merged.put(k, nested);
                } else {
                    merged.put(k, e.getValue());
                }
            }
        }
        model.put(key, merged);
    }
}
