package dev.litellmdeploy.builder;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * LiteLLM-aware checks on an assembled config. Every rule runs; all findings are returned
 * together, each with the file and line that produced the offending part. Unknown top-level
 * keys (often YAML anchor holders) are accepted, as LiteLLM accepts them. Each rule names the
 * LiteLLM source it mirrors; docs/validation.md lists them with the versions they were checked against.
 */
public final class ConfigValidator {
    /** master_key_boot_check.py PUBLICLY_KNOWN_MASTER_KEY_SHA256_DIGESTS (1.108.7): the SHA-256 of "sk-1234". */
    private static final List<String> PUBLIC_MASTER_KEYS = List.of("sk-1234");
    private static final List<String> POSITIVE_INTEGERS = List.of("rpm", "tpm", "max_tokens", "max_input_tokens", "max_output_tokens");

    public List<Finding> validate(AssembledConfig assembled, ValidationOptions options) {
        List<Finding> findings = new ArrayList<>();
        assembled.documents().forEach(doc -> findings.addAll(doc.warnings()));
        SectionRules.check(assembled, options, findings);
        if (KnownCompromised.why(options.litellmVersion()) != null) {
            findings.add(Finding.error("compromised-litellm", Location.of("litellm_version", 0), KnownCompromised.refusal(options.litellmVersion())));
        }
        modelList(assembled, findings);
        masterKey(assembled, options, findings);
        include(assembled, findings);
        healthCheckSettings(assembled, options, findings);
        FallbackRules.check(assembled, findings);
        GuardrailRules.check(assembled, options, findings);
        return findings;
    }

    /**
     * proxy_server.py: ProxyConfig._process_includes (1.80.9) and common_utils/config_includes.py
     * include_entries (1.108.7) raise ValueError when {@code include} is not a list (of strings).
     */
    private static void include(AssembledConfig assembled, List<Finding> findings) {
        Map<String, Object> config = assembled.config();
        if (!config.containsKey("include")) {
            return;
        }
        Object include = config.get("include");
        if (!(include instanceof List<?> files) || !files.stream().allMatch(String.class::isInstance)) {
            findings.add(Finding.error("include-not-a-list", assembled.locate("include"),
                    "include must be a list of file names; LiteLLM refuses to start otherwise (ValueError)"
                            + (include instanceof String s ? ". Write include: [" + s + "]" : "")));
        }
    }

    /**
     * proxy_server.py ProxyConfig.load_config, router settings: 1.108.7 raises ValueError for
     * health_check_interval / health_check_concurrency under router_settings ("move it to
     * general_settings"); 1.80.9 passes only Router.__init__ arguments on and drops the rest silently.
     * Versions between were not checked: below 1.108.7 (or unknown) it is a warning.
     */
    private static void healthCheckSettings(AssembledConfig assembled, ValidationOptions options, List<Finding> findings) {
        if (!(assembled.config().get("router_settings") instanceof Map<?, ?> router)) {
            return;
        }
        boolean refused = Rule.ROUTER_SETTING_MISPLACED.refuses(options.litellmVersion());
        for (String key : List.of("health_check_interval", "health_check_concurrency")) {
            if (router.containsKey(key)) {
                String where = "router_settings." + key;
                String message = key + " belongs under general_settings; under router_settings LiteLLM "
                        + (refused ? options.litellmVersion() + " refuses to start (ValueError)"
                                : "1.80.9 ignores it and 1.108.7 and later refuse to start (ValueError)") + ". Move it to general_settings." + key;
                findings.add(Rule.ROUTER_SETTING_MISPLACED.finding(options.litellmVersion(), assembled.locate(where), message));
            }
        }
    }

    private static void modelList(AssembledConfig assembled, List<Finding> findings) {
        Object list = assembled.config().get("model_list");
        if (!(list instanceof List<?> entries) || entries.isEmpty()) {
            findings.add(Finding.error("no-models", assembled.locate("model_list"),
                    "model_list is missing or empty: LiteLLM would serve no model; add at least one entry"
                            + " (model_name + litellm_params.model)"));
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String path = "model_list[" + i + "]";
            if (!(entries.get(i) instanceof Map<?, ?> entry)) {
                findings.add(Finding.error("model-entry-not-a-mapping", assembled.locate(path),
                        "a model_list entry must be a mapping with model_name and litellm_params"));
                continue;
            }
            Object name = entry.get("model_name");
            if (!(name instanceof String s) || s.isBlank()) {
                findings.add(Finding.error("model-name-missing", assembled.locate(path), name == null || name instanceof String
                        ? "model entry has no model_name" : "model_name " + name + " is not a string; LiteLLM refuses to start"
                                + " (TypeError). Quote it: model_name: \"" + name + "\""));
            } else {
                if (s.length() > 256) {
                    findings.add(Finding.error("model-name-too-long", assembled.locate(path + ".model_name"),
                            "model_name is longer than 256 characters; it is printed in plans, logs and the job summary"));
                }
                plainText(assembled, path + ".model_name", s, findings);
            }
            Object params = entry.get("litellm_params");
            if (params instanceof Map<?, ?> p && p.get("model") instanceof String m) {
                plainText(assembled, path + ".litellm_params.model", m, findings);
            }
            if (!(params instanceof Map<?, ?> p) || !(p.get("model") instanceof String m) || m.isBlank()) {
                findings.add(Finding.error("model-missing", assembled.locate(path + ".litellm_params"),
                        "model entry " + (name == null ? "" : "'" + name + "' ") + "has no litellm_params.model"
                                + " (the provider/model LiteLLM should call, e.g. openai/gpt-4o)"));
            } else {
                positiveIntegers(assembled, path + ".litellm_params", p, findings);
            }
            if (entry.get("model_info") instanceof Map<?, ?> info) {
                positiveIntegers(assembled, path + ".model_info", info, findings);
            }
            // router.py Router._generate_model_id: the id hashes model_name + litellm_params unless model_info.id is set; distinct ids are distinct deployments
            Object id = entry.get("model_info") instanceof Map<?, ?> info ? info.get("id") : null;
            if (!seen.add(String.valueOf(name) + "\u0000" + String.valueOf(params) + "\u0000" + String.valueOf(id))) {
                findings.add(Finding.warning("duplicate-deployment", assembled.locate(path),
                        "model entry '" + name + "' repeats an earlier entry exactly; the router would count it twice"));
            }
        }
    }

    /** Model names reach logs, terminals and the Actions log: a control character there is an attack or an accident, never a name. */
    private static void plainText(AssembledConfig assembled, String path, String value, List<Finding> findings) {
        value.chars().filter(c -> Character.getType(c) == Character.CONTROL || c == 0x2028 || c == 0x2029
                || c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069).findFirst().ifPresent(c -> findings.add(Finding.error(
                "control-character", assembled.locate(path), path + " holds the control character " + String.format("U+%04X", c)
                        + "; a model name must be plain text (it is printed in logs, plans and the Actions log)")));
    }

    private static void positiveIntegers(AssembledConfig assembled, String path, Map<?, ?> map, List<Finding> findings) {
        for (String key : POSITIVE_INTEGERS) {
            if (!map.containsKey(key)) {
                continue;
            }
            Object v = map.get(key);
            boolean ok = (v instanceof Integer i && i > 0) || (v instanceof Long l && l > 0);
            if (!ok) {
                findings.add(Finding.error("not-positive-integer", assembled.locate(path + "." + key),
                        key + " must be a positive whole number, found " + describe(v)));
            }
        }
    }

    private static String describe(Object v) {
        if (v instanceof Number || v instanceof Boolean) {
            return String.valueOf(v);
        }
        return v == null ? "nothing" : "a " + (v instanceof String ? "string" : v.getClass().getSimpleName());
    }

    /**
     * proxy/auth/master_key_boot_check.py master_key_boot_verdict, run by proxy_startup_event after
     * load_config (1.108.7; 1.80.9 has no such check): no master key, an empty one or a publicly known
     * one ({@code sk-1234}, LiteLLM's docs' example) refuses the start, unless
     * {@code general_settings.dangerously_permit_weak_or_unset_master_key} is true (or the env
     * override, which validate cannot see). An error when the pinned version refuses; for an older or
     * unknown version nothing (as before the check existed). True when it is an error.
     */
    private static boolean unsafeMasterKey(AssembledConfig assembled, ValidationOptions options, Map<?, ?> general, String key,
            List<Finding> findings) {
        String unsafe = key == null ? "there is no master key" : key.isBlank() ? "the master key is empty"
                : PUBLIC_MASTER_KEYS.contains(key.strip()) ? "the master key is sk-1234, the example key of LiteLLM's docs" : null;
        if (unsafe == null || Boolean.TRUE.equals(general.get("dangerously_permit_weak_or_unset_master_key"))) {
            return false;
        }
        if (!Rule.MASTER_KEY_REQUIRED.refuses(options.litellmVersion())) {
            return false;
        }
        findings.add(Finding.error(Rule.MASTER_KEY_REQUIRED.code(),
                assembled.locate(general.containsKey("master_key") ? "general_settings.master_key" : "general_settings"),
                unsafe + ": LiteLLM " + options.litellmVersion() + " refuses to start (UnsafeMasterKeyError). Set"
                        + " general_settings.master_key to a secret of your own (or os.environ/LITELLM_MASTER_KEY), or, for local"
                        + " development only, general_settings.dangerously_permit_weak_or_unset_master_key: true"));
        return true;
    }

    /**
     * proxy_server.py (1.80.9 and 1.108.7): proxy_startup_event reads env LITELLM_MASTER_KEY before
     * the config is loaded; ProxyConfig.load_config then applies environment_variables
     * (_load_environment_variables) and, only when general_settings is a non-empty mapping, sets
     * {@code master_key = general_settings.get("master_key", get_secret("LITELLM_MASTER_KEY"))} and
     * calls {@code master_key.startswith("os.environ/")} on it.
     */
    private static void masterKey(AssembledConfig assembled, ValidationOptions options, List<Finding> findings) {
        Map<String, Object> config = assembled.config();
        if (config.get("litellm_settings") instanceof Map<?, ?> litellm && litellm.containsKey("master_key")) {
            findings.add(Finding.error("master-key-misplaced", assembled.locate("litellm_settings.master_key"),
                    "master_key is under litellm_settings, where LiteLLM ignores it: the proxy would run with no"
                            + " authentication. Move it to general_settings.master_key (or set the environment variable"
                            + " LITELLM_MASTER_KEY, which LiteLLM also reads)"));
        }
        Map<?, ?> general = config.get("general_settings") instanceof Map<?, ?> g ? g : Map.of();
        Object key = general.get("master_key");
        if (key != null && !(key instanceof String)) {
            findings.add(Finding.error("master-key-not-a-string", assembled.locate("general_settings.master_key"),
                    "general_settings.master_key must be a string (a secret, or os.environ/LITELLM_MASTER_KEY), found "
                            + (key instanceof Number || key instanceof Boolean ? "a " + key.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT)
                                    : describe(key)) + "; LiteLLM fails at start (it calls .startswith on it). Quote it"));
            return;
        }
        boolean hasKey = key instanceof String s && !s.isBlank();
        boolean fromEnvSection = !general.isEmpty() && !general.containsKey("master_key")
                && config.get("environment_variables") instanceof Map<?, ?> env
                && env.get("LITELLM_MASTER_KEY") instanceof String s && !s.isBlank();
        String effective = key instanceof String s ? s
                : fromEnvSection ? (String) ((Map<?, ?>) config.get("environment_variables")).get("LITELLM_MASTER_KEY") : null;
        if (unsafeMasterKey(assembled, options, general, effective, findings)) {
            return;
        }
        if (!hasKey && !fromEnvSection && options.listensBeyondLoopback() && !options.allowNoAuth()) {
            findings.add(Finding.error("no-master-key", assembled.locate("general_settings"),
                    "no general_settings.master_key while the proxy listens on " + options.listenHost()
                            + ": anyone who reaches the port can spend your provider credits. Set one (a secret, or"
                            + " os.environ/LITELLM_MASTER_KEY), listen on 127.0.0.1, or allow it explicitly (--allow-no-auth)"
                            + (config.get("environment_variables") instanceof Map<?, ?> env && env.containsKey("LITELLM_MASTER_KEY")
                                    ? ". environment_variables.LITELLM_MASTER_KEY does not count: with no general_settings LiteLLM"
                                            + " reads the environment before it applies that section" : "")));
        }
    }
}
