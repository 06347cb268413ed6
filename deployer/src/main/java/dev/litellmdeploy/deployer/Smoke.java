package dev.litellmdeploy.deployer;

import java.time.Duration;
import java.util.List;

import dev.litellmdeploy.deployer.bundle.Bundle;

/**
 * Smoke requests: after the proxy lists its models, one minimal chat completion per named model through the deployed
 * proxy (the port-forward, the bundle's master key), so a wrong provider key, a renamed model or an api_base typo fails
 * the deploy and rolls it back instead of reaching users. Opt-in: each request goes to the provider and may cost money.
 *
 * @param models    the model names to send a request to
 * @param all       every model of the bundle (--smoke-all)
 * @param maxTokens the completion's max_tokens (1: the smallest answer a provider gives)
 * @param timeout   how long one request may take
 */
public record Smoke(List<String> models, boolean all, int maxTokens, Duration timeout) {
    public static final Smoke NONE = new Smoke(List.of(), false, 1, Duration.ofSeconds(30));

    public Smoke {
        models = List.copyOf(models);
    }

    public static Smoke of(List<String> models, boolean all) {
        return new Smoke(models, all, NONE.maxTokens(), NONE.timeout());
    }

    /** The models this bundle's deploy sends a request to, in the bundle's order for --smoke-all. */
    public List<String> modelsFor(Bundle bundle) {
        return all ? bundle.models() : models;
    }

    /** Null, or why these smoke models cannot be asked of this bundle (a name it does not serve). */
    public String refusal(Bundle bundle) {
        List<String> unknown = models.stream().filter(m -> !bundle.models().contains(m)).toList();
        return unknown.isEmpty() ? null : "--smoke names " + String.join(", ", unknown) + ", which the bundle does not serve (it serves "
                + String.join(", ", bundle.models()) + ")";
    }
}
