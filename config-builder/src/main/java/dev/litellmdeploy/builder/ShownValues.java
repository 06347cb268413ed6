package dev.litellmdeploy.builder;

import java.util.List;
import java.util.Set;

/**
 * The allow-list of the redacted view: which string values of a config are known not to be
 * secret and may be shown. Everything else is hidden, wherever it is (litellm_params, the
 * settings sections, headers, environment_variables, model_info, top-level anchor holders).
 * Numbers, booleans, empty strings and {@code os.environ/} references are always shown. Map keys
 * are structure and always shown.
 *
 * <p>Shown by key (anywhere): model names and ids, provider and mode names, API versions and
 * regions, host names (plain ones only), routing strategy, cache type, callback names, and the
 * numeric knobs when written as strings. Shown by place: everything under a fallbacks list or model_group_alias (model names).
 * URLs under {@link #URL_KEYS} are shown without their userinfo, query values and fragment (see
 * {@link UrlRedaction}); a URL under any other key (a webhook, whose path is the secret) is hidden.
 * Under headers, extra_headers and environment_variables every string is hidden, whatever its key.
 */
final class ShownValues {
    enum Verdict { SHOW, URL, HIDE }

    static final Set<String> SHOWN_KEYS = Set.of(
            "model_name", "model", "base_model", "mode", "id", "description", "tier", "custom_llm_provider", "litellm_provider",
            "api_version", "region_name", "aws_region_name", "vertex_location",
            "routing_strategy", "type", "callbacks", "success_callback", "failure_callback", "service_callback", "alerting",
            "timeout", "stream_timeout", "request_timeout", "rpm", "tpm", "max_tokens", "max_input_tokens", "max_output_tokens",
            "num_retries", "max_retries", "cooldown_time", "allowed_fails", "order", "weight", "drop_params",
            "input_cost_per_token", "output_cost_per_token");

    /** Subtrees whose strings are all model names. */
    static final Set<String> SHOWN_SUBTREES = Set.of(
            "fallbacks", "context_window_fallbacks", "content_policy_fallbacks", "default_fallbacks", "model_group_alias");

    /** Subtrees where every string is hidden whatever its key: header values, environment values. */
    static final Set<String> HIDDEN_SUBTREES = Set.of("headers", "extra_headers", "environment_variables");

    /** Keys whose value is a host name, shown when it is only that (letters, digits, dots, dashes). */
    static final Set<String> HOST_KEYS = Set.of("host", "redis_host");

    /** Keys whose value is a URL shown without its credentials (userinfo, query values, fragment). */
    static final Set<String> URL_KEYS = Set.of("api_base", "base_url", "database_url", "redis_url");

    private ShownValues() {
    }

    /** @param path the map keys from the root to the value (list positions left out) */
    static Verdict of(List<String> path, String value) {
        if (value.isEmpty() || value.startsWith("os.environ/")) {
            return Verdict.SHOW;
        }
        if (path.isEmpty()) {
            return Verdict.HIDE;
        }
        for (String key : path) {
            if (HIDDEN_SUBTREES.contains(key)) {
                return Verdict.HIDE;
            }
            if (SHOWN_SUBTREES.contains(key)) {
                return Verdict.SHOW;
            }
        }
        String key = path.get(path.size() - 1);
        if (SHOWN_KEYS.contains(key) || HOST_KEYS.contains(key) && value.matches("[A-Za-z0-9.-]+")) {
            return Verdict.SHOW;
        }
        return URL_KEYS.contains(key) ? Verdict.URL : Verdict.HIDE;
    }
}
