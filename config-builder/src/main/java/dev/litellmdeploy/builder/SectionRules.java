package dev.litellmdeploy.builder;

import java.util.List;
import java.util.Map;

/**
 * The shape of the top-level sections LiteLLM reads at start, and the settings in them it checks
 * (1.80.9 and 1.108.7, as the differential test measured them).
 */
final class SectionRules {
    /**
     * Sections that must be mappings: proxy_cli.py run_server {@code general_settings.get}, proxy_server.py
     * load_config {@code litellm_settings.items()}, _load_environment_variables {@code .items()},
     * mcp_server_manager.py {@code mcp_servers.items()}. (router_settings that is not a mapping is ignored.)
     */
    private static final List<String> MAPPINGS = List.of("general_settings", "litellm_settings", "environment_variables", "mcp_servers");
    /** router_utils/routing_groups.py VALID_ROUTING_STRATEGIES (1.108.7): "simple-shuffle", "lar1" and the RoutingStrategy values. */
    private static final List<String> ROUTING_STRATEGIES = List.of("simple-shuffle", "lar1", "least-busy", "latency-based-routing",
            "cost-based-routing", "usage-based-routing-v2", "usage-based-routing", "provider-budget-routing");

    private SectionRules() {
    }

    static void check(AssembledConfig assembled, ValidationOptions options, List<Finding> findings) {
        Map<String, Object> config = assembled.config();
        for (String section : MAPPINGS) {
            Object value = config.get(section);
            if (value != null && !(value instanceof Map<?, ?>)) {
                findings.add(Finding.error(Rule.SECTION_NOT_A_MAPPING.code(), assembled.locate(section), section + " must be a mapping"
                        + " (key: value lines), found a " + (value instanceof List<?> ? "list" : value.getClass().getSimpleName().toLowerCase(
                                java.util.Locale.ROOT)) + "; LiteLLM refuses to start"));
            }
        }
        credentials(assembled, findings);
        routingStrategy(assembled, options, findings);
    }

    /**
     * proxy_server.py load_credential_list: {@code CredentialItem(**cred)} for each entry (types/utils.py, both
     * versions: credential_name str, credential_info dict, credential_values dict, all required; pydantic refuses otherwise).
     */
    private static void credentials(AssembledConfig assembled, List<Finding> findings) {
        Object list = assembled.config().get("credential_list");
        if (list == null) {
            return;
        }
        List<?> entries = list instanceof List<?> l ? l : List.of(list);
        for (int i = 0; i < entries.size(); i++) {
            String path = list instanceof List<?> ? "credential_list[" + i + "]" : "credential_list";
            boolean ok = entries.get(i) instanceof Map<?, ?> c && c.get("credential_name") instanceof String
                    && c.get("credential_info") instanceof Map<?, ?> && c.get("credential_values") instanceof Map<?, ?>;
            if (!ok) {
                findings.add(Finding.error(Rule.CREDENTIAL_MALFORMED.code(), assembled.locate(path), path + " must be a mapping with"
                        + " credential_name (a string), credential_info and credential_values (mappings; credential_info may be {})"
                        + "; LiteLLM refuses to start (pydantic ValidationError)"));
            }
        }
    }

    /** router_utils/routing_groups.py validate_routing_strategy (1.108.7: ValueError); 1.80.9 takes any string. */
    private static void routingStrategy(AssembledConfig assembled, ValidationOptions options, List<Finding> findings) {
        if (!(assembled.config().get("router_settings") instanceof Map<?, ?> router) || router.get("routing_strategy") == null
                || ROUTING_STRATEGIES.contains(String.valueOf(router.get("routing_strategy")))) {
            return;
        }
        boolean refused = Rule.ROUTING_STRATEGY_UNKNOWN.refuses(options.litellmVersion());
        String message = "router_settings.routing_strategy '" + router.get("routing_strategy") + "' is not one of "
                + String.join(", ", ROUTING_STRATEGIES) + "; LiteLLM " + (refused ? options.litellmVersion() + " refuses" : "1.108.7 and later refuse")
                + " to start (ValueError)" + (refused ? "" : ", 1.80.9 starts");
        findings.add(Rule.ROUTING_STRATEGY_UNKNOWN.finding(options.litellmVersion(), assembled.locate("router_settings.routing_strategy"), message));
    }
}
