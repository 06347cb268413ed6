package dev.litellmdeploy.builder;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names LiteLLM's router answers to, so a fallback is checked the way the router would
 * route it. Checked against LiteLLM 1.80.9 and 1.108.7, router.py
 * {@code Router._common_checks_available_deployment}, which tries in this order: a
 * {@code model_info.id} ({@code has_model_id}), a {@code router_settings.model_group_alias} key
 * ({@code _get_model_from_alias}), a {@code model_name}, a wildcard {@code model_name}
 * (router_utils/pattern_match_deployments.py {@code PatternMatchRouter}), and last a
 * {@code litellm_params.model} value ({@code _get_deployment_by_litellm_model}).
 */
final class RouterNames {
    private final Set<String> exact = new LinkedHashSet<>();
    private final List<Pattern> patterns = new ArrayList<>();
    private final Set<String> patternProviders = new LinkedHashSet<>();

    static RouterNames of(Map<String, Object> config) {
        RouterNames names = new RouterNames();
        if (config.get("model_list") instanceof List<?> entries) {
            for (Object e : entries) {
                if (!(e instanceof Map<?, ?> entry)) {
                    continue;
                }
                if (entry.get("model_name") instanceof String name) {
                    names.exact.add(name);
                    if (name.contains("*")) {
                        names.addPattern(name);
                    }
                }
                if (entry.get("litellm_params") instanceof Map<?, ?> params && params.get("model") instanceof String model) {
                    names.exact.add(model);
                }
                if (entry.get("model_info") instanceof Map<?, ?> info && info.get("id") != null) {
                    names.exact.add(String.valueOf(info.get("id")));
                }
            }
        }
        if (config.get("router_settings") instanceof Map<?, ?> router && router.get("model_group_alias") instanceof Map<?, ?> aliases) {
            aliases.keySet().forEach(k -> names.exact.add(String.valueOf(k)));
        }
        return names;
    }

    /**
     * PatternMatchRouter.add_pattern/pattern_to_regex: {@code re.escape(pattern).replace(r"\*", "(.*)")},
     * then {@code route} uses {@code re.match}: anchored at the start only, so {@code lookingAt}.
     */
    private void addPattern(String modelName) {
        StringBuilder regex = new StringBuilder();
        String[] parts = modelName.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append("(.*)");
            }
            if (!parts[i].isEmpty()) {
                regex.append(Pattern.quote(parts[i]));
            }
        }
        patterns.add(Pattern.compile(regex.toString()));
        int slash = modelName.indexOf('/');
        if (slash > 0 && !modelName.substring(0, slash).contains("*")) {
            patternProviders.add(modelName.substring(0, slash));
        }
    }

    /** Whether the router would find a deployment for this name. */
    boolean routes(String name) {
        if (exact.contains(name) || matchesPattern(name)) {
            return true;
        }
        // PatternMatchRouter.get_pattern retries "<provider>/<name>" with the provider LiteLLM infers
        // from the name (get_llm_provider / inferred_provider, from its model map). That map is not
        // here: a bare name is accepted when any provider a wildcard names would route it.
        return !name.contains("/") && patternProviders.stream().anyMatch(p -> matchesPattern(p + "/" + name));
    }

    private boolean matchesPattern(String name) {
        return patterns.stream().anyMatch(p -> p.matcher(name).lookingAt());
    }

    /** Names to suggest for a typo: the exact ones (patterns are shown as written). */
    Set<String> known() {
        return exact;
    }
}
