package dev.litellmdeploy.builder;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Fallback lists, checked as LiteLLM 1.80.9 and 1.108.7 read them. Router.__init__ (router.py)
 * takes {@code fallbacks}, {@code context_window_fallbacks}, {@code content_policy_fallbacks} and
 * {@code default_fallbacks} from router_settings, or from litellm_settings (set on the litellm
 * module by proxy_server.py ProxyConfig.load_config). It runs {@code Router.validate_fallbacks} on
 * fallbacks and content_policy_fallbacks only: each item must be a dict with exactly one key,
 * else ValueError at start. default_fallbacks is a list of names, appended as {@code {"*": [...]}}.
 * Every name must be one the router routes ({@link RouterNames}); {@code "*"} as a key is the
 * generic fallback.
 */
final class FallbackRules {
    private static final List<String> SECTIONS = List.of("router_settings", "litellm_settings");
    private static final List<String> MAPPING_LISTS = List.of("fallbacks", "context_window_fallbacks", "content_policy_fallbacks");
    /** The lists Router.validate_fallbacks checks (router.py, both versions). */
    private static final Set<String> ONE_KEY = Set.of("fallbacks", "content_policy_fallbacks");

    private final AssembledConfig assembled;
    private final RouterNames names;
    private final List<Finding> findings;

    private FallbackRules(AssembledConfig assembled, List<Finding> findings) {
        this.assembled = assembled;
        this.names = RouterNames.of(assembled.config());
        this.findings = findings;
    }

    static void check(AssembledConfig assembled, List<Finding> findings) {
        FallbackRules rules = new FallbackRules(assembled, findings);
        for (String section : SECTIONS) {
            if (assembled.config().get(section) instanceof Map<?, ?> settings) {
                for (String key : MAPPING_LISTS) {
                    rules.mappings(section + "." + key, settings.get(key), ONE_KEY.contains(key));
                }
                rules.defaults(section + ".default_fallbacks", settings.get("default_fallbacks"));
            }
        }
    }

    private void mappings(String path, Object value, boolean oneKey) {
        if (value == null) {
            return;
        }
        // Router.validate_fallbacks checks the shape of the one-key lists only; context_window_fallbacks stays unchecked (a project rule)
        String malformed = oneKey ? Rule.FALLBACKS_MALFORMED.code() : Rule.CONTEXT_WINDOW_FALLBACKS_MALFORMED.code();
        if (!(value instanceof List<?> rules)) {
            findings.add(Finding.error(malformed, assembled.locate(path),
                    path + " must be a list like [{\"model-a\": [\"model-b\"]}]"));
            return;
        }
        for (int i = 0; i < rules.size(); i++) {
            String itemPath = path + "[" + i + "]";
            if (!(rules.get(i) instanceof Map<?, ?> map)) {
                findings.add(Finding.error(malformed, assembled.locate(itemPath),
                        path + " entries must map a model name to a list of fallback names"));
                continue;
            }
            if (oneKey && map.size() != 1) {
                findings.add(Finding.error("fallbacks-not-one-key", assembled.locate(itemPath), itemPath + " maps " + map.size()
                        + " keys; LiteLLM's Router refuses to start (ValueError: must have exactly one key). Give each model its own"
                        + " mapping" + (map.isEmpty() ? "" : ", e.g. " + map.entrySet().stream()
                                .map(e -> "{" + e.getKey() + ": " + e.getValue() + "}").collect(Collectors.joining(", ", "[", "]")))));
            }
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Set<String> referenced = new LinkedHashSet<>();
                String key = String.valueOf(e.getKey());
                if (!"*".equals(key)) {
                    referenced.add(key);
                }
                if (e.getValue() instanceof List<?> targets) {
                    targets.forEach(t -> referenced.add(String.valueOf(t)));
                } else {
                    // router.py 1.108.7 validate_fallbacks raises TypeError; 1.80.9 iterates the string's characters
                    findings.add(Finding.error(Rule.FALLBACK_TARGET_NOT_A_LIST.code(), assembled.locate(itemPath), itemPath + " maps '" + key
                            + "' to a single value; the fallbacks must be a list, e.g. {" + key + ": [" + e.getValue() + "]}"
                            + " (LiteLLM 1.108.7 refuses to start; 1.80.9 would try each of its characters as a model name)"));
                }
                unknown(path, referenced);
            }
        }
    }

    private void defaults(String path, Object value) {
        if (value == null) {
            return;
        }
        if (!(value instanceof List<?> targets)) {
            // Router.__init__ 1.108.7 raises TypeError; 1.80.9 appends {"*": value} and iterates a string's characters
            findings.add(Finding.error(Rule.FALLBACK_TARGET_NOT_A_LIST.code(), assembled.locate(path),
                    path + " must be a list of model names, like [\"" + value + "\"] (LiteLLM 1.108.7 refuses to start; 1.80.9 would"
                            + " try each of its characters as a model name)"));
            return;
        }
        Set<String> referenced = new LinkedHashSet<>();
        targets.forEach(t -> referenced.add(String.valueOf(t)));
        unknown(path, referenced);
    }

    private void unknown(String path, Set<String> referenced) {
        for (String name : referenced.stream().sorted().toList()) {
            if (!names.routes(name)) {
                List<String> near = NearNames.suggest(name, new ArrayList<>(names.known()));
                findings.add(Finding.error("unknown-fallback", assembled.locate(path),
                        path + " names '" + name + "', which no model_list entry, wildcard route or model_group_alias serves"
                                + (near.isEmpty() ? "" : "; did you mean " + String.join(", ", near) + "?")));
            }
        }
    }
}
