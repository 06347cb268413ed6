package dev.litellmdeploy.builder;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every rule {@code validate} applies to a LiteLLM config, keyed to the LiteLLM versions it was read
 * in (1.80.9 and 1.108.7, the two the tests use) and to the LiteLLM source it mirrors. This table is
 * the one source: docs/validation.md's rule table is generated from it ({@code RuleTableTest}), the
 * validator asks it which severity a version-keyed rule has, and the differential test against
 * LiteLLM's own loader ({@code LiteLLMDifferentialTest}) asks it whether LiteLLM refuses a config
 * for this reason too, or whether the refusal is the project's own ("project rule").
 */
public enum Rule {
    INVALID_YAML("invalid-yaml", "Not valid YAML: position and YAML's own token names (`<block end>`, `<scalar>`) kept, other quoted text"
            + " blanked so a secret on the offending line is never echoed", Verdict.ERROR, Refusal.ALWAYS,
            "`proxy_server.py` `ProxyConfig._get_config_from_file` (`yaml.safe_load` raises)"),
    CONFIG_EMPTY("config-empty", "The file holds no YAML document (empty, or comments only)", Verdict.ERROR, Refusal.ALWAYS,
            "`proxy_server.py` `_get_config_from_file`: Exception \"Config cannot be None or Empty\""),
    DOCUMENT_NOT_A_MAPPING("document-not-a-mapping", "The document is not a mapping (a list, a string)", Verdict.ERROR, Refusal.ALWAYS,
            "`proxy_server.py` `get_config` (1.80.9: TypeError); `common_utils/config_includes.py` `_without_include` (1.108.7: AttributeError)"),
    DUPLICATE_KEY("duplicate-key", "A key set twice in one mapping, naming both lines", Verdict.WARNING, Refusal.NEVER,
            "PyYAML `safe_load` keeps the last value, no error"),
    SECTION_NOT_A_MAPPING("section-not-a-mapping", "`general_settings`, `litellm_settings`, `environment_variables` or `mcp_servers`"
            + " not a mapping (`router_settings` not a mapping is ignored by LiteLLM)", Verdict.ERROR, Refusal.ALWAYS,
            "`proxy_cli.py` `run_server`: `general_settings.get`; `proxy_server.py` `load_config`: `litellm_settings.items()`,"
                    + " `_load_environment_variables`; `mcp_server_manager.py`: `mcp_servers.items()` (AttributeError)"),
    CREDENTIAL_MALFORMED("credential-malformed", "A `credential_list` entry without `credential_name` (a string), `credential_info` or"
            + " `credential_values` (mappings)", Verdict.ERROR, Refusal.ALWAYS,
            "`proxy_server.py` `load_credential_list`: `CredentialItem(**cred)` (`types/utils.py`: all three required; pydantic ValidationError)"),
    ROUTING_STRATEGY_UNKNOWN("routing-strategy-unknown", "`router_settings.routing_strategy` not one LiteLLM has", Verdict.ERROR_FROM_VERSION,
            Refusal.from("1.108.7"), "`router_utils/routing_groups.py` `validate_routing_strategy` (1.108.7: ValueError); 1.80.9 takes any string"),
    NO_MODELS("no-models", "`model_list` missing or empty: a proxy that serves nothing", Verdict.PROJECT, Refusal.NEVER,
            "project rule (LiteLLM starts and waits for models added through its API)"),
    MODEL_LIST_NOT_A_LIST("model-list-not-a-list", "`model_list` not a list", Verdict.ERROR, Refusal.ALWAYS,
            "`proxy_server.py` `load_config` iterates it (TypeError / AttributeError)"),
    MODEL_ENTRY_NOT_A_MAPPING("model-entry-not-a-mapping", "A `model_list` entry that is not a mapping", Verdict.ERROR, Refusal.ALWAYS,
            "`proxy_server.py` `load_config`: `model[\"litellm_params\"]` (TypeError / AttributeError)"),
    MODEL_NAME_MISSING("model-name-missing", "An entry without `model_name`, or one YAML reads as a number", Verdict.ERROR, Refusal.ALWAYS,
            "`router.py` `Router.set_model_list`: KeyError `model_name`; `_generate_model_id`: TypeError on a number"),
    MODEL_MISSING("model-missing", "An entry without `litellm_params` or `litellm_params.model`", Verdict.ERROR, Refusal.ALWAYS,
            "`proxy_server.py` `load_config`: KeyError `litellm_params` / `model`"),
    MODEL_NAME_TOO_LONG("model-name-too-long", "`model_name` longer than 256 characters", Verdict.PROJECT, Refusal.NEVER,
            "project rule (names are printed in plans, logs and the job summary)"),
    CONTROL_CHARACTER("control-character", "Control characters in model names", Verdict.PROJECT, Refusal.NEVER,
            "project rule (names reach logs and the Actions log)"),
    NOT_POSITIVE_INTEGER("not-positive-integer", "rpm / tpm / max_tokens not positive whole numbers", Verdict.PROJECT, Refusal.NEVER,
            "project rule (LiteLLM starts; the router compares them as numbers at request time)"),
    DUPLICATE_DEPLOYMENT("duplicate-deployment", "Same `model_name` + `litellm_params` + `model_info.id` twice; entries whose `model_info.id`"
            + " differs are distinct deployments", Verdict.WARNING, Refusal.NEVER,
            "`router.py` `Router._generate_model_id` (the id hashes model_name + litellm_params unless `model_info.id` is set)"),
    FALLBACKS_NOT_ONE_KEY("fallbacks-not-one-key", "A `fallbacks` / `content_policy_fallbacks` mapping with other than one key"
            + " (`context_window_fallbacks` is not checked by LiteLLM, nor here)", Verdict.ERROR, Refusal.ALWAYS,
            "`router.py` `Router.validate_fallbacks`, called in `Router.__init__` for these two lists: ValueError \"must have exactly one key\""),
    FALLBACKS_MALFORMED("fallbacks-malformed", "`fallbacks` / `content_policy_fallbacks` not a list of mappings", Verdict.ERROR, Refusal.ALWAYS,
            "`router.py` `Router.validate_fallbacks`: ValueError \"Item ... is not a dictionary\""),
    CONTEXT_WINDOW_FALLBACKS_MALFORMED("context-window-fallbacks-malformed", "`context_window_fallbacks` not a list of mappings",
            Verdict.PROJECT, Refusal.NEVER, "project rule: `Router.__init__` keeps it unchecked; the router fails on it at request time"),
    FALLBACK_TARGET_NOT_A_LIST("fallback-target-not-a-list", "A fallback target, or `default_fallbacks`, that is a single name, not a list",
            Verdict.ERROR, Refusal.from("1.108.7"), "`router.py` `Router.validate_fallbacks` / `__init__` (1.108.7: TypeError);"
                    + " 1.80.9 starts and iterates the string's characters as model names (project rule there)"),
    UNKNOWN_FALLBACK("unknown-fallback", "A fallback name (key or target, in any fallback list under `router_settings` or `litellm_settings`)"
            + " the router cannot route", Verdict.PROJECT, Refusal.NEVER,
            "project rule: LiteLLM starts, and the fallback fails when it is needed; names resolved as below"),
    MASTER_KEY_MISPLACED("master-key-misplaced", "`master_key` under `litellm_settings`", Verdict.PROJECT, Refusal.NEVER,
            "project rule: `load_config` reads it only from `general_settings` (or env `LITELLM_MASTER_KEY`), so the proxy runs"
                    + " without auth (1.108.7 refuses that: `master-key-required`)"),
    MASTER_KEY_NOT_A_STRING("master-key-not-a-string", "`general_settings.master_key` not a string", Verdict.ERROR, Refusal.ALWAYS,
            "`proxy_server.py` `load_config`: `master_key.startswith(\"os.environ/\")` (AttributeError on an int)"),
    MASTER_KEY_REQUIRED("master-key-required", "No master key, an empty one, or the publicly known `sk-1234`, unless"
            + " `general_settings.dangerously_permit_weak_or_unset_master_key: true`", Verdict.ERROR_FROM_VERSION, Refusal.from("1.108.7"),
            "`proxy/auth/master_key_boot_check.py` `master_key_boot_verdict`, run by `proxy_startup_event` (1.108.7:"
                    + " UnsafeMasterKeyError; env `LITELLM_MASTER_KEY` or `LITELLM_DANGEROUSLY_PERMIT_WEAK_OR_UNSET_MASTER_KEY` also"
                    + " count, `validate` cannot see them); 1.80.9 starts"),
    NO_MASTER_KEY("no-master-key", "No master key while listening beyond loopback (unless `--allow-no-auth`); from 1.108.7"
            + " `master-key-required` reports it instead", Verdict.PROJECT, Refusal.NEVER, "project rule; what counts as a key: see below"),
    INCLUDE_NOT_A_LIST("include-not-a-list", "`include:` not a list of file names", Verdict.ERROR, Refusal.ALWAYS,
            "`proxy_server.py` `ProxyConfig._process_includes` (1.80.9); `common_utils/config_includes.py` `include_entries` (1.108.7): ValueError"),
    COMPROMISED_LITELLM("compromised-litellm", "A LiteLLM version known to be compromised (1.82.7 and 1.82.8, malicious uploads to PyPI on"
            + " 2026-03-24; `KnownCompromised`)", Verdict.PROJECT, Refusal.NEVER, "project rule: LiteLLM runs them; `lock`, `build` and"
                    + " `validate` refuse them with the reason (docs/python-env.md)"),
    INCLUDE_NOT_FOUND("include-not-found", "An included file missing (the merged config is then not checked further)", Verdict.ERROR,
            Refusal.ALWAYS, "`_process_includes` (1.80.9), `ProxyConfig._process_includes.read_included` (1.108.7): FileNotFoundError"),
    INCLUDE_NOT_A_MAPPING("include-not-a-mapping", "An included file that is not a mapping", Verdict.ERROR, Refusal.ALWAYS,
            "`_process_includes`: 1.80.9 AttributeError on `.items()`, 1.108.7 ValueError"),
    INCLUDE_LIST_ONTO_NON_LIST("include-list-onto-non-list", "A list in an included file where the config has a non-list value",
            Verdict.ERROR, Refusal.before("1.108.7"), "1.80.9 `_process_includes`: `config[key].extend(value)`, AttributeError; 1.108.7"
                    + " `config_includes.py` `_merged_value` replaces it"),
    INCLUDE_TWICE("include-twice", "A file included twice (1.80.9 merges it twice: its model entries count twice; 1.108.7 reads it once)",
            Verdict.WARNING, Refusal.NEVER, "`_process_includes` (no memory); `config_includes.py` `_resolve` (`loaded`)"),
    INCLUDE_CYCLE("include-cycle", "An include cycle (1.80.9: the list being read keeps growing, the proxy never starts; 1.108.7 skips a"
            + " file already read)", Verdict.ERROR, Refusal.before("1.108.7"), "`_process_includes`; `config_includes.py` `_resolve`"),
    INCLUDE_REFUSED("include-refused", "An include name that is not a plain `*.yaml`/`*.yml` name beside the config (`..`, an absolute"
            + " path, a subfolder, a link, a name of the bundle's own, the config's own file)", Verdict.PROJECT, Refusal.NEVER,
            "project rule: the bundle installs the files beside config.yaml, and the root helper's gate is one name check (docs/security.md)"),
    INCLUDE_PROVIDERS("include-providers", "litellm-deploy's `providers:` defaults inside an included file", Verdict.PROJECT, Refusal.NEVER,
            "project rule: the defaults are applied when the config is built, and LiteLLM reads an included file as it is"),
    MODULE_NOT_FOUND("module-not-found", "A Python module the config names (`custom_auth`, `callbacks`, a custom guardrail, ...) missing"
            + " beside it", Verdict.ERROR, Refusal.ALWAYS, "`proxy/types_utils/utils.py` `get_instance_fn` (1.80.9: ImportError \"Could not"
                    + " find module file\"; 1.108.7 falls back to `importlib.import_module`, which finds only what the service's"
                    + " environment installs)"),
    MODULE_REFUSED("module-refused", "A module file that is not a plain `*.py` name beside the config (a subfolder, a link, ...)",
            Verdict.PROJECT, Refusal.NEVER, "project rule: as `include-refused`"),
    CALLBACK_NOT_IMPORTABLE("callback-not-importable", "`success_callback` / `failure_callback` naming a module that sits beside the"
            + " config (bundled from 1.108.7)", Verdict.ERROR, Refusal.before("1.108.7"), "1.80.9 `proxy_server.py` `load_config` calls"
                    + " `get_instance_fn` without the config's path: Python's path holds the service's working directory, not the"
                    + " config's folder"),
    GUARDRAIL_MODULE_PATH("guardrail-module-path", "A custom guardrail with more than one dot", Verdict.ERROR, Refusal.before("1.108.7"),
            "1.80.9 `guardrails/guardrail_registry.py` `initialize_custom_guardrail`: `_file_name, _class_name = guardrail_type.split(\".\")`"),
    ROUTER_SETTING_MISPLACED("router-setting-misplaced", "`router_settings.health_check_interval` / `health_check_concurrency`: they belong"
            + " under `general_settings`", Verdict.ERROR_FROM_VERSION, Refusal.from("1.108.7"),
            "`proxy_server.py` `ProxyConfig.load_config`, \"ROUTER SETTINGS\" block (1.108.7: ValueError); 1.80.9 drops unknown"
                    + " router_settings keys silently"),
    GUARDRAILS_MALFORMED("guardrails-malformed", "`guardrails` not a list of mappings, each with a `litellm_params` mapping",
            Verdict.ERROR, Refusal.ALWAYS, "`proxy/guardrails/guardrail_registry.py` `initialize_guardrail`: `guardrail.get` /"
                    + " `guardrail[\"litellm_params\"]` (AttributeError / KeyError)"),
    GUARDRAIL_UNKNOWN("guardrail-unknown", "A guardrail whose `litellm_params.guardrail` is neither one LiteLLM has (the list of the"
            + " pinned version; both lists when it is unknown) nor a `module.attr` of a Python file", Verdict.ERROR, Refusal.before("1.108.7"),
            "`guardrail_registry.py` `initialize_guardrail` (1.80.9: ValueError \"Unsupported guardrail\"); 1.108.7 `init_guardrails_v2`"
                    + " logs it and starts WITHOUT the guardrail (project rule there: a guardrail that silently is not there)");

    /** What validate reports when the rule matches. */
    enum Verdict {
        ERROR, WARNING,
        /** an error although LiteLLM accepts the config: the project's own rule */
        PROJECT,
        /** an error from the version LiteLLM starts refusing, a warning before it and when the version is unknown */
        ERROR_FROM_VERSION,
        /** an error from the version LiteLLM starts refusing; nothing before it or when the version is unknown */
        ERROR_FROM_VERSION_ONLY
    }

    /**
     * The LiteLLM versions that refuse to start over it: all read, none, from a version on, or before one.
     * Versions between those read (1.80.9, 1.108.7) are not known: the boundary is the later read version.
     */
    record Refusal(String from, String before, boolean never) {
        static final Refusal ALWAYS = new Refusal(null, null, false);
        static final Refusal NEVER = new Refusal(null, null, true);

        static Refusal from(String version) {
            return new Refusal(version, null, false);
        }

        static Refusal before(String version) {
            return new Refusal(null, version, false);
        }

        boolean at(String version) {
            return !never && (from == null || LiteLLMVersion.atLeast(version, from))
                    && (before == null || version != null && !LiteLLMVersion.atLeast(version, before));
        }
    }

    private final String code;
    private final String what;
    private final Verdict verdict;
    private final Refusal refusal;
    private final String source;

    Rule(String code, String what, Verdict verdict, Refusal refusal, String source) {
        this.code = code;
        this.what = what;
        this.verdict = verdict;
        this.refusal = refusal;
        this.source = source;
    }

    public String code() {
        return code;
    }

    public static Optional<Rule> of(String code) {
        return Arrays.stream(values()).filter(r -> r.code.equals(code)).findFirst();
    }

    /** Whether LiteLLM {@code version} refuses to start over this rule (false for an unknown version unless every version refuses). */
    public boolean litellmRefuses(String version) {
        return refusal.at(version);
    }

    /** Whether validate refuses (an error) for a config pinned to {@code version} (null: unknown). */
    public boolean refuses(String version) {
        return switch (verdict) {
            case ERROR, PROJECT -> true;
            case WARNING -> false;
            case ERROR_FROM_VERSION, ERROR_FROM_VERSION_ONLY -> refusal.at(version);
        };
    }

    /** This rule's finding for a config pinned to {@code version}: an error where validate refuses it, else a warning. */
    Finding finding(String version, Location where, String message) {
        return refuses(version) ? Finding.error(code, where, message) : Finding.warning(code, where, message);
    }

    /** The Markdown rule table of docs/validation.md. */
    public static String markdownTable() {
        StringBuilder md = new StringBuilder("| Finding code | What | `validate` says | LiteLLM 1.80.9 | LiteLLM 1.108.7 | LiteLLM source |\n"
                + "|---|---|---|---|---|---|\n");
        for (Rule r : values()) {
            md.append("| `").append(r.code).append("` | ").append(r.what).append(" | ").append(switch (r.verdict) {
                case ERROR -> r.refusal.from() == null && r.refusal.before() == null ? "error" : "error (a project rule where LiteLLM starts)";
                case WARNING -> "warning";
                case PROJECT -> "error (project rule)";
                case ERROR_FROM_VERSION -> "error when the pinned version is " + r.refusal.from() + " or later; a warning before it or when"
                        + " the version is unknown";
                case ERROR_FROM_VERSION_ONLY -> "error when the pinned version is " + r.refusal.from() + " or later; nothing before it"
                        + " or when the version is unknown";
            }).append(" | ").append(r.column("1.80.9")).append(" | ").append(r.column("1.108.7")).append(" | ")
                    .append(r.source.replace("|", "\\|")).append(" |\n");
        }
        return md.toString();
    }

    private String column(String version) {
        return litellmRefuses(version) ? "refuses" : "starts";
    }
}
