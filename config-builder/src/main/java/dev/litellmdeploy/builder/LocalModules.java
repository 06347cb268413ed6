package dev.litellmdeploy.builder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Python modules a config loads from its own folder, to go into the bundle beside config.yaml.
 * LiteLLM's proxy/types_utils/utils.py {@code get_instance_fn(value, config_file_path)} turns
 * {@code "mod.attr"} into {@code <config folder>/mod.py} (further dots are subfolders, which
 * litellm-deploy does not bundle: {@link ExtraFiles}) and imports {@code attr} from it. It is called
 * with the config's path for general_settings.custom_auth / custom_key_generate / custom_sso /
 * custom_ui_sso_sign_in_handler (proxy_server.py load_config; 1.108.7 adds custom_key_update,
 * custom_key_policy, custom_team_metadata_validate), litellm_settings.callbacks entries
 * (callback_utils.py initialize_callbacks_on_proxy), post_call_rules, custom_provider_map[].custom_handler,
 * and guardrails[].litellm_params.guardrail when it has a dot (guardrail_registry.py
 * initialize_custom_guardrail, from init_guardrails_v2 with config_file_path).
 *
 * <p>litellm_settings.success_callback / failure_callback entries with a dot: 1.80.9 calls
 * get_instance_fn WITHOUT the config's path, so Python imports the module from sys.path: the proxy's
 * working directory (proxy_cli.py appends os.getcwd(): the service's home on the server) and the tool's
 * environment, never the config's folder. A module beside the config is then not found on the server
 * (ImportError at start): an error here, with the way that works. 1.108.7 passes the path (and
 * audit_log_callbacks), so there the module is bundled.
 *
 * <p>A module named but missing here: 1.80.9 raises ImportError ("Could not find module file"); 1.108.7
 * falls back to importing it from sys.path, where only LiteLLM's own modules are (the unit installs
 * litellm[proxy] alone). Either way the start fails, so it is an error, unless the module is LiteLLM's own.
 */
final class LocalModules {
    record Found(Map<String, String> files, List<Finding> findings) {
    }

    private static final List<String> GENERAL = List.of("custom_auth", "custom_key_generate", "custom_sso", "custom_ui_sso_sign_in_handler");
    private static final List<String> GENERAL_1_108 = List.of("custom_key_update", "custom_key_policy", "custom_team_metadata_validate");

    private final AssembledConfig config;
    private final Path dir;
    private final boolean newer;
    private final Map<String, String> files = new LinkedHashMap<>();
    private final List<Finding> findings = new ArrayList<>();

    private LocalModules(AssembledConfig config, Path dir, String litellmVersion) {
        this.config = config;
        this.dir = dir;
        this.newer = LiteLLMVersion.atLeast(litellmVersion, "1.108.7");
    }

    /** DIR: the config's folder (null when there is none to read: then nothing is looked up). */
    static Found find(AssembledConfig config, Path dir, String litellmVersion) {
        LocalModules m = new LocalModules(config, dir, litellmVersion);
        m.scan();
        return new Found(Map.copyOf(m.files), List.copyOf(m.findings));
    }

    private void scan() {
        Map<String, Object> c = config.config();
        if (c.get("general_settings") instanceof Map<?, ?> general) {
            List<String> keys = new ArrayList<>(GENERAL);
            if (newer) {
                keys.addAll(GENERAL_1_108);
            }
            keys.forEach(k -> reference("general_settings." + k, general.get(k)));
        }
        if (c.get("litellm_settings") instanceof Map<?, ?> litellm) {
            Object callbacks = litellm.get("callbacks");
            if (callbacks instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    reference("litellm_settings.callbacks[" + i + "]", list.get(i));
                }
            } else {
                reference("litellm_settings.callbacks", callbacks);
            }
            reference("litellm_settings.post_call_rules", litellm.get("post_call_rules"));
            if (litellm.get("custom_provider_map") instanceof List<?> providers) {
                for (int i = 0; i < providers.size(); i++) {
                    if (providers.get(i) instanceof Map<?, ?> p) {
                        reference("litellm_settings.custom_provider_map[" + i + "].custom_handler", p.get("custom_handler"));
                    }
                }
            }
            for (String key : List.of("success_callback", "failure_callback", "audit_log_callbacks")) {
                if (litellm.get(key) instanceof List<?> list) {
                    for (int i = 0; i < list.size(); i++) {
                        String path = "litellm_settings." + key + "[" + i + "]";
                        if (newer) {
                            reference(path, list.get(i));
                        } else if (!"audit_log_callbacks".equals(key)) {
                            fromSysPath(path, list.get(i));
                        }
                    }
                }
            }
        }
        if (c.get("guardrails") instanceof List<?> guardrails) {
            for (int i = 0; i < guardrails.size(); i++) {
                if (guardrails.get(i) instanceof Map<?, ?> g && g.get("litellm_params") instanceof Map<?, ?> p) {
                    String path = "guardrails[" + i + "].litellm_params.guardrail";
                    if (p.get("guardrail") instanceof String s && !newer && s.chars().filter(ch -> ch == '.').count() > 1) {
                        findings.add(Finding.error("guardrail-module-path", config.locate(path), "guardrail " + s + ": LiteLLM before"
                                + " 1.108.7 takes a custom guardrail as file.Class, exactly one dot (more fail at start)"));
                    } else {
                        reference(path, p.get("guardrail"));
                    }
                }
            }
        }
    }

    /** VALUE "mod.attr" loaded from the config's folder; a value without a dot is a built-in name. */
    private void reference(String path, Object value) {
        if (!(value instanceof String s) || s.startsWith("s3://") || s.startsWith("gcs://")) {
            return;
        }
        int dot = s.lastIndexOf('.');
        if (dot <= 0) {
            return; // a built-in callback or guardrail name; for custom_auth and the like LiteLLM fails on it itself
        }
        String module = s.substring(0, dot);
        if (module.equals("litellm") || module.startsWith("litellm.")) {
            return;
        }
        String file = module.replace('.', '/') + ".py";
        String refusal = ExtraFiles.refusal(file);
        if (refusal != null) {
            findings.add(Finding.error("module-refused", config.locate(path), path + " loads " + file + ", which " + refusal));
            return;
        }
        if (files.containsKey(file) || dir == null) {
            return;
        }
        try {
            String text = ExtraFiles.read(dir, file);
            if (text == null) {
                findings.add(Finding.error("module-not-found", config.locate(path), path + " loads " + s.substring(dot + 1) + " from "
                        + file + ", which is not in the config's folder; LiteLLM fails at start without it (ImportError). Put "
                        + file + " beside the config"));
            } else {
                files.put(file, text);
            }
        } catch (IOException e) {
            findings.add(Finding.error("module-refused", config.locate(path), path + " loads " + file + ", which " + e.getMessage()));
        }
    }

    /** 1.80.9 success/failure callbacks: imported from sys.path, so a module beside the config is not found on the server. */
    private void fromSysPath(String path, Object value) {
        if (!(value instanceof String s) || s.lastIndexOf('.') <= 0 || dir == null) {
            return;
        }
        String module = s.substring(0, s.lastIndexOf('.'));
        String file = module.replace('.', '/') + ".py";
        if (!file.contains("/") && java.nio.file.Files.exists(dir.resolve(file))) {
            findings.add(Finding.error("callback-not-importable", config.locate(path), path + " " + s + ": LiteLLM before 1.108.7"
                    + " imports success_callback and failure_callback entries from Python's path, not from the config's folder, so "
                    + file + " would not be found on the server (ImportError at start). List it under litellm_settings.callbacks"
                    + " (loaded from the config's folder; a CustomLogger instance), or pin LiteLLM 1.108.7 or later"));
        }
    }
}
